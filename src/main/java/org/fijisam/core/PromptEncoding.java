package org.fijisam.core;

/**
 * How a model's decoder takes a prompt's points, which differs between the official exports:
 * SAM 1's ONNX decoder wants the clicks, then the box corners, and the caller appends SAM's
 * padding point (0, 0, label -1) when there is no box; SAM 2's image predictor puts the box
 * corners first and appends the padding point itself, box or not (in the graph of our export),
 * and it clamps a fed-back low-resolution mask to +-32 (its {@code predict} returns the
 * logits clamped). A padding point added twice is an extra attended token and changes the
 * masks, so this must be what the graph expects.
 */
public final class PromptEncoding {

	/** The official SAM 1 ONNX decoder. */
	public static final PromptEncoding SAM1 = new PromptEncoding(false, false, Float.POSITIVE_INFINITY);

	/** SAM 2 (box first, padding in the graph, mask input clamped to +-32). */
	public static final PromptEncoding SAM2 = new PromptEncoding(true, true, 32f);

	private final boolean boxFirst;
	private final boolean graphPads;
	private final float maskInputClamp;

	public PromptEncoding(boolean boxFirst, boolean graphPads, float maskInputClamp) {
		if (!(maskInputClamp > 0)) throw new IllegalArgumentException("the mask input clamp must be positive");
		this.boxFirst = boxFirst;
		this.graphPads = graphPads;
		this.maskInputClamp = maskInputClamp;
	}

	/** True when the box corners (labels 2, 3) come before the clicked points. */
	public boolean boxFirst() { return boxFirst; }

	/** True when the decoder graph appends the padding point, so the caller must not. */
	public boolean graphPads() { return graphPads; }

	/** Mask-input logits are clamped to +-this before decoding (infinity: not clamped). */
	public float maskInputClamp() { return maskInputClamp; }

	/** How many points the decoder gets for {@code prompt}. */
	public int pointCount(Prompt prompt) {
		return prompt.points().size() + (prompt.box() != null ? 2 : graphPads ? 0 : 1);
	}

	@Override
	public String toString() {
		return (boxFirst ? "box first" : "box last") + (graphPads ? ", padded in the graph" : ", padded by the caller") +
			(Float.isInfinite(maskInputClamp) ? "" : ", mask input clamped to +-" + maskInputClamp);
	}
}
