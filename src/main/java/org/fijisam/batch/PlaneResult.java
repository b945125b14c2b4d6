package org.fijisam.batch;

import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.LabelImage;

/** What automatic segmentation gave on one plane of an image: its labels and its masks. */
public final class PlaneResult {

	private final int index;
	private final LabelImage labels;
	private final AmgResult result;

	/** @param index 0-based plane of the image (z fastest, then t) */
	public PlaneResult(int index, LabelImage labels, AmgResult result) {
		this.index = index;
		this.labels = labels;
		this.result = result;
	}

	public int index() { return index; }

	public LabelImage labels() { return labels; }

	public AmgResult result() { return result; }
}
