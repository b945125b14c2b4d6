package org.fijisam.core.propagation;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.LowResMask;
import org.fijisam.core.Segmentation;

/**
 * One object as the user left it on the start plane: its label, its mask and, when it came
 * from the model on the whole plane, its low-resolution logits (a better mask prompt for the
 * neighbour than the binary mask).
 */
public final class StartObject {

	private final int label;
	private final BinaryMask mask;
	private final LowResMask logits;
	private final PlaneScore score;

	/**
	 * @param label the object's label in the label volume, 1 or more
	 * @param logits low-res logits decoded on the whole start plane, or null (e.g. a drawn mask,
	 *        or one decoded in a zoomed window, whose logits belong to another frame)
	 */
	public StartObject(int label, BinaryMask mask, LowResMask logits) {
		this(label, mask, logits, PlaneScore.UNKNOWN);
	}

	private StartObject(int label, BinaryMask mask, LowResMask logits, PlaneScore score) {
		if (label < 1) throw new IllegalArgumentException("Object labels start at 1, not " + label + ".");
		if (mask == null) throw new IllegalArgumentException("the start mask is null");
		this.label = label;
		this.mask = mask;
		this.logits = logits;
		this.score = score;
	}

	/** A segmentation on the whole start plane: its best mask and logits. */
	public static StartObject of(int label, Segmentation s) {
		LowResMask logits = s.view().isWholeImage() ? s.best().lowRes() : null;
		return new StartObject(label, s.bestMask(), logits, new PlaneScore(s.best().predictedIou(), s.best()
			.stability(), s.best().token()));
	}

	public int label() { return label; }

	public BinaryMask mask() { return mask; }

	/** Low-res logits on the whole start plane, or null. */
	public LowResMask logits() { return logits; }

	/** The model's scores for the start mask, {@link PlaneScore#UNKNOWN} when it did not come from the model. */
	public PlaneScore score() { return score; }
}
