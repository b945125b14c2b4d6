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
	private final float score;
	private final float stability;
	private final int token;

	public ObjectResult(String name, int slice, int frame, MaskCandidate candidate, BinaryMask mask) {
		this.name = name;
		this.slice = slice;
		this.frame = frame;
		this.candidate = candidate;
		this.mask = mask;
		this.score = candidate != null ? candidate.predictedIou() : Float.NaN;
		this.stability = candidate != null ? candidate.stability() : Float.NaN;
		this.token = candidate != null ? candidate.token() : -1;
	}

	/**
	 * A mask whose candidate is no longer held (a propagated object keeps only the scores of
	 * each plane); NaN and -1 where unknown.
	 */
	public ObjectResult(String name, int slice, int frame, float score, float stability, int token, BinaryMask mask) {
		this.name = name;
		this.slice = slice;
		this.frame = frame;
		this.candidate = null;
		this.mask = mask;
		this.score = score;
		this.stability = stability;
		this.token = token;
	}

	public String name() { return name; }

	public int slice() { return slice; }

	public int frame() { return frame; }

	/** Decoder output the mask came from; null for automatic and propagated masks. */
	public MaskCandidate candidate() { return candidate; }

	/** The model's predicted IoU, NaN when unknown. */
	public float score() { return score; }

	/** The mask's stability score, NaN when unknown. */
	public float stability() { return stability; }

	/** The decoder's mask token, -1 when unknown. */
	public int token() { return token; }

	public BinaryMask mask() { return mask; }
}
