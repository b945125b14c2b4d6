package org.fijisam.core;

/**
 * How a model's decoder takes a prompt's points, which differs between the official exports:
 * SAM 1's ONNX decoder wants the clicks, then the box corners, and the caller appends SAM's
 * padding point (0, 0, label -1) when there is no box; SAM 2's image predictor puts the box
 * corners first and appends the padding point itself, box or not (in the graph of our export),
 * and it clamps a fed-back low-resolution mask to +-32 (its {@code predict} returns the
 * logits clamped). A padding point added twice is an extra attended token and changes the
 * masks, so this must be what the graph expects. Some exports take points only (transformers.js'
 * SAM: no box, no mask input) or no mask prompt (transformers.js' SAM 2), and say so here.
 */
public final class PromptEncoding {

	/** The official SAM 1 ONNX decoder. */
	public static final PromptEncoding SAM1 = new PromptEncoding(false, false, Float.POSITIVE_INFINITY);

	/** SAM 2 (box first, padding in the graph, mask input clamped to +-32). */
	public static final PromptEncoding SAM2 = new PromptEncoding(true, true, 32f);

	private final boolean boxFirst;
	private final boolean graphPads;
	private final float maskInputClamp;
	/** Null when the decoder takes boxes and masks; else why it does not, and what to use instead. */
	private final String refusal;
	/** Whether a box is refused too (with {@link #refusal}); a mask prompt always is when there is a refusal. */
	private final boolean refusesBoxes;

	public PromptEncoding(boolean boxFirst, boolean graphPads, float maskInputClamp) {
		this(boxFirst, graphPads, maskInputClamp, null, false);
	}

	private PromptEncoding(boolean boxFirst, boolean graphPads, float maskInputClamp, String refusal,
		boolean refusesBoxes)
	{
		if (!(maskInputClamp > 0)) throw new IllegalArgumentException("the mask input clamp must be positive");
		this.boxFirst = boxFirst;
		this.graphPads = graphPads;
		this.maskInputClamp = maskInputClamp;
		this.refusal = refusal;
		this.refusesBoxes = refusesBoxes;
	}

	/**
	 * A decoder whose graph takes points only, and appends the padding point itself (as HF's
	 * SamModel does when it is given no box). A box or a mask prompt is refused rather than
	 * approximated: two corner points are not SAM's box encoding.
	 *
	 * @param why the model and what to use instead, for the refusal message
	 */
	public static PromptEncoding pointsOnly(String why) {
		return new PromptEncoding(false, true, Float.POSITIVE_INFINITY, reason(why), true);
	}

	/**
	 * This encoding for a decoder that takes points and boxes but no mask prompt: refining a
	 * previous mask is refused, not approximated.
	 *
	 * @param why the model and what to use instead, for the refusal message
	 */
	public PromptEncoding withoutMaskInput(String why) {
		return new PromptEncoding(boxFirst, graphPads, Float.POSITIVE_INFINITY, reason(why), false);
	}

	private static String reason(String why) {
		if (why == null || why.isEmpty()) throw new IllegalArgumentException("say why the decoder refuses prompts");
		return why;
	}

	/** False when the decoder takes points only (no box, no mask prompt). */
	public boolean takesBoxesAndMasks() { return refusal == null; }

	/** Refuses a prompt the decoder cannot take, saying why and what to use instead. */
	public void check(Prompt prompt) throws InvalidPromptException {
		if (refusal == null) return;
		if (refusesBoxes && prompt.box() != null) throw new InvalidPromptException("A box cannot be used with this " +
			"model: " + refusal);
		if (prompt.maskInput() != null) throw new InvalidPromptException("A mask prompt (refining a previous " +
			"mask) cannot be used with this model: " + refusal);
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
		if (refusal != null && refusesBoxes) return "points only, padded in the graph";
		if (refusal != null) return (boxFirst ? "box first" : "box last") + ", no mask prompt";
		return (boxFirst ? "box first" : "box last") + (graphPads ? ", padded in the graph" : ", padded by the caller") +
			(Float.isInfinite(maskInputClamp) ? "" : ", mask input clamped to +-" + maskInputClamp);
	}
}
