package org.fijisam.core;

/**
 * How a model's decoder takes a prompt's points, which differs between the official exports:
 * SAM 1's ONNX decoder wants the clicks, then the box corners, and the caller appends SAM's
 * padding point (0, 0, label -1) when there is no box; SAM 2's image predictor puts the box
 * corners first and appends the padding point itself, box or not (in the graph of our export),
 * and it clamps a fed-back low-resolution mask to +-32 (its {@code predict} returns the
 * logits clamped). A padding point added twice is an extra attended token and changes the
 * masks, so this must be what the graph expects. Some exports take points only (transformers.js'
 * SAM: no box, no mask input), and say so here.
 */
public final class PromptEncoding {

	/** The official SAM 1 ONNX decoder. */
	public static final PromptEncoding SAM1 = new PromptEncoding(false, false, Float.POSITIVE_INFINITY);

	/** SAM 2 (box first, padding in the graph, mask input clamped to +-32). */
	public static final PromptEncoding SAM2 = new PromptEncoding(true, true, 32f);

	private final boolean boxFirst;
	private final boolean graphPads;
	private final float maskInputClamp;
	/** Null when the decoder takes boxes and masks; else why it takes points only, and what to use instead. */
	private final String pointsOnly;

	public PromptEncoding(boolean boxFirst, boolean graphPads, float maskInputClamp) {
		this(boxFirst, graphPads, maskInputClamp, null);
	}

	private PromptEncoding(boolean boxFirst, boolean graphPads, float maskInputClamp, String pointsOnly) {
		if (!(maskInputClamp > 0)) throw new IllegalArgumentException("the mask input clamp must be positive");
		this.boxFirst = boxFirst;
		this.graphPads = graphPads;
		this.maskInputClamp = maskInputClamp;
		this.pointsOnly = pointsOnly;
	}

	/**
	 * A decoder whose graph takes points only, and appends the padding point itself (as HF's
	 * SamModel does when it is given no box). A box or a mask prompt is refused rather than
	 * approximated: two corner points are not SAM's box encoding.
	 *
	 * @param why the model and what to use instead, for the refusal message
	 */
	public static PromptEncoding pointsOnly(String why) {
		if (why == null || why.isEmpty()) throw new IllegalArgumentException("say why the decoder takes points only");
		return new PromptEncoding(false, true, Float.POSITIVE_INFINITY, why);
	}

	/** False when the decoder takes points only (no box, no mask prompt). */
	public boolean takesBoxesAndMasks() { return pointsOnly == null; }

	/** Refuses a prompt the decoder cannot take, saying why and what to use instead. */
	public void check(Prompt prompt) throws InvalidPromptException {
		if (pointsOnly == null) return;
		if (prompt.box() != null) throw new InvalidPromptException("A box cannot be used with this model: " +
			pointsOnly);
		if (prompt.maskInput() != null) throw new InvalidPromptException("A mask prompt (refining a previous " +
			"mask) cannot be used with this model: " + pointsOnly);
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
		if (pointsOnly != null) return "points only, padded in the graph";
		return (boxFirst ? "box first" : "box last") + (graphPads ? ", padded in the graph" : ", padded by the caller") +
			(Float.isInfinite(maskInputClamp) ? "" : ", mask input clamped to +-" + maskInputClamp);
	}
}
