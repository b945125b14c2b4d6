package org.fijisam.core;

/**
 * One prompt as the decoder takes it: point coordinates in the model input frame, labels
 * in the order and with the padding rule of the model's {@link PromptEncoding}, and the dense
 * mask input.
 */
public final class DecoderPrompt {

	private final float[] coords;
	private final float[] labels;
	private final float[] maskInput;
	private final boolean hasMask;

	private DecoderPrompt(float[] coords, float[] labels, float[] maskInput, boolean hasMask) {
		this.coords = coords;
		this.labels = labels;
		this.maskInput = maskInput;
		this.hasMask = hasMask;
	}

	/** Encodes {@code prompt} for an image with geometry {@code g}, as SAM 1's decoder takes it. */
	public static DecoderPrompt encode(Prompt prompt, ResizeGeometry g, int lowResSize) {
		return encode(prompt, g, lowResSize, PromptEncoding.SAM1);
	}

	/** Encodes {@code prompt} for an image with geometry {@code g}, as the model's decoder takes it. */
	public static DecoderPrompt encode(Prompt prompt, ResizeGeometry g, int lowResSize, PromptEncoding how) {
		int n = how.pointCount(prompt);
		float[] coords = new float[2 * n];
		float[] labels = new float[n];
		Box box = prompt.box();
		int at = 0;
		if (box != null && how.boxFirst()) at = putBox(box, g, coords, labels, at);
		for (Prompt.Point p : prompt.points()) {
			coords[2 * at] = g.toModelX(p.x);
			coords[2 * at + 1] = g.toModelY(p.y);
			labels[at++] = (p.foreground ? PointLabel.FOREGROUND : PointLabel.BACKGROUND).code();
		}
		if (box != null && !how.boxFirst()) at = putBox(box, g, coords, labels, at);
		// SAM 1's rule: without a box, one padding point (0, 0) with label -1 ends the list,
		// unless the graph appends it.
		if (box == null && !how.graphPads()) labels[at] = PointLabel.PADDING.code();
		LowResMask mask = prompt.maskInput();
		if (mask != null && mask.size() != lowResSize) throw new IllegalArgumentException(
			"mask prompt is " + mask.size() + "x" + mask.size() + " but the model expects " + lowResSize);
		float[] dense = mask != null ? clamped(mask.logits(), how.maskInputClamp()) : new float[lowResSize * lowResSize];
		return new DecoderPrompt(coords, labels, dense, mask != null);
	}

	private static int putBox(Box box, ResizeGeometry g, float[] coords, float[] labels, int at) {
		coords[2 * at] = g.toModelX(box.x0);
		coords[2 * at + 1] = g.toModelY(box.y0);
		labels[at++] = PointLabel.BOX_TOP_LEFT.code();
		coords[2 * at] = g.toModelX(box.x1);
		coords[2 * at + 1] = g.toModelY(box.y1);
		labels[at++] = PointLabel.BOX_BOTTOM_RIGHT.code();
		return at;
	}

	/** The logits themselves when none exceeds the clamp (never modified), else a clamped copy. */
	private static float[] clamped(float[] logits, float limit) {
		if (Float.isInfinite(limit)) return logits;
		float[] out = null;
		for (int i = 0; i < logits.length; i++) {
			float v = logits[i];
			if (v > limit || v < -limit) {
				if (out == null) out = logits.clone();
				out[i] = v > limit ? limit : -limit;
			}
		}
		return out != null ? out : logits;
	}

	/**
	 * A prompt already in decoder form (model-frame coordinates, SAM labels); used by tests
	 * and tools that replay recorded decoder inputs.
	 */
	public static DecoderPrompt of(float[] coords, float[] labels, float[] maskInput, boolean hasMask) {
		if (coords.length != 2 * labels.length) throw new IllegalArgumentException("need 2 coordinates per label");
		return new DecoderPrompt(coords.clone(), labels.clone(), maskInput.clone(), hasMask);
	}

	public int pointCount() { return labels.length; }

	/** x0, y0, x1, y1, ... in the model frame; do not modify. */
	public float[] coords() { return coords; }

	public float[] labels() { return labels; }

	public float[] maskInput() { return maskInput; }

	public boolean hasMask() { return hasMask; }
}
