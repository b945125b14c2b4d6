package org.fijisam.core;

/**
 * Unthresholded low-resolution mask logits (L x L, row-major) in the model input frame, as
 * the decoder outputs them and as it accepts them back as a mask prompt.
 */
public final class LowResMask {

	/** Logit magnitude for a binary mask turned into a prompt: ln(999), i.e. p = 0.999. */
	public static final float BINARY_LOGIT = 6.9067546f;

	private final int size;
	private final float[] logits;

	public LowResMask(int size, float[] logits) {
		if (logits.length != size * size) throw new IllegalArgumentException("expected " + size +
			"x" + size + " logits");
		this.size = size;
		this.logits = logits;
	}

	public int size() { return size; }

	/** The logits, row-major; do not modify. */
	public float[] logits() { return logits; }

	/**
	 * A binary mask at original resolution as a mask prompt: resized into the model frame
	 * like the image, then to L x L, as +/- ln(999).
	 */
	public static LowResMask fromBinary(BinaryMask mask, ResizeGeometry g, int lowResSize) {
		float[] values = new float[mask.width() * mask.height()];
		byte[] bits = mask.data();
		for (int i = 0; i < values.length; i++)
			values[i] = bits[i] != 0 ? 1f : 0f;
		// Into the padded model frame, then down to the low-res frame.
		float[] inFrame = Bilinear.resize(values, mask.width(), mask.height(), g.newWidth(), g.newHeight());
		int s = g.inputSize();
		float[] padded = new float[s * s];
		for (int y = 0; y < g.newHeight(); y++)
			System.arraycopy(inFrame, y * g.newWidth(), padded, y * s, g.newWidth());
		float[] low = Bilinear.resize(padded, s, s, lowResSize, lowResSize);
		for (int i = 0; i < low.length; i++)
			low[i] = low[i] >= 0.5f ? BINARY_LOGIT : -BINARY_LOGIT;
		return new LowResMask(lowResSize, low);
	}
}
