package org.fijisam.core;

/**
 * One prompt as the decoder takes it: point coordinates in the model input frame, labels
 * with SAM's padding rule applied (box corners, or one padding point when there is no box),
 * and the dense mask input.
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

	/** Encodes {@code prompt} for an image with geometry {@code g}. */
	public static DecoderPrompt encode(Prompt prompt, ResizeGeometry g, int lowResSize) {
		int n = prompt.decoderPointCount();
		float[] coords = new float[2 * n];
		float[] labels = new float[n];
		int i = 0;
		for (Prompt.Point p : prompt.points()) {
			coords[2 * i] = g.toModelX(p.x);
			coords[2 * i + 1] = g.toModelY(p.y);
			labels[i++] = (p.foreground ? PointLabel.FOREGROUND : PointLabel.BACKGROUND).code();
		}
		Box box = prompt.box();
		if (box != null) {
			coords[2 * i] = g.toModelX(box.x0);
			coords[2 * i + 1] = g.toModelY(box.y0);
			labels[i++] = PointLabel.BOX_TOP_LEFT.code();
			coords[2 * i] = g.toModelX(box.x1);
			coords[2 * i + 1] = g.toModelY(box.y1);
			labels[i] = PointLabel.BOX_BOTTOM_RIGHT.code();
		}
		else {
			// SAM's rule: without a box, one padding point (0, 0) with label -1 ends the list.
			labels[i] = PointLabel.PADDING.code();
		}
		LowResMask mask = prompt.maskInput();
		if (mask != null && mask.size() != lowResSize) throw new IllegalArgumentException(
			"mask prompt is " + mask.size() + "x" + mask.size() + " but the model expects " + lowResSize);
		float[] dense = mask != null ? mask.logits() : new float[lowResSize * lowResSize];
		return new DecoderPrompt(coords, labels, dense, mask != null);
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
