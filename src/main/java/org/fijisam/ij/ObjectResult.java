package org.fijisam.ij;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.MaskCandidate;

/** One kept mask: which object and plane it belongs to, its scores and its pixels. */
public final class ObjectResult {

	private final String name;
	private final int slice;
	private final int frame;
	private final MaskCandidate candidate;
	private final BinaryMask mask;

	public ObjectResult(String name, int slice, int frame, MaskCandidate candidate, BinaryMask mask) {
		this.name = name;
		this.slice = slice;
		this.frame = frame;
		this.candidate = candidate;
		this.mask = mask;
	}

	public String name() { return name; }

	public int slice() { return slice; }

	public int frame() { return frame; }

	/** Decoder output the mask came from, with its predicted IoU; null for automatic masks without one. */
	public MaskCandidate candidate() { return candidate; }

	public float score() { return candidate != null ? candidate.predictedIou() : Float.NaN; }

	public BinaryMask mask() { return mask; }
}
