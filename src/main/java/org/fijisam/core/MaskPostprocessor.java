package org.fijisam.core;

/**
 * Turns low-resolution logits into a full-resolution mask as SAM does: bilinear L -> S
 * (model frame), crop the valid new_h x new_w region, bilinear to the original size,
 * threshold at 0. With SAM 2's stretched geometry there is no padding to crop and the official
 * predictor goes bilinear L -> original size in one step (not antialiased, even when
 * shrinking), so that is done here too: two steps would give other pixels. Done in Java, and
 * only for masks that are kept.
 */
public final class MaskPostprocessor {

	private MaskPostprocessor() {}

	/** Full-resolution logits (original size, row-major). */
	public static float[] upsampleLogits(float[] lowRes, int lowResSize, ResizeGeometry g) {
		if (g.stretched()) return Bilinear.resize(lowRes, lowResSize, lowResSize, g.width(), g.height());
		float[] frame = Bilinear.vertical(validRows(lowRes, lowResSize, g), g.newWidth(), validAxis(lowResSize, g, g
			.newHeight()));
		if (g.newWidth() == g.width() && g.newHeight() == g.height()) return frame;
		return Bilinear.resize(frame, g.newWidth(), g.newHeight(), g.width(), g.height());
	}

	/** The thresholded (logit &gt; 0) full-resolution mask. */
	public static BinaryMask toMask(float[] lowRes, int lowResSize, ResizeGeometry g) {
		if (g.stretched()) return new BinaryMask(g.width(), g.height(), Bilinear.resizeThreshold(lowRes, lowResSize,
			lowResSize, g.width(), g.height(), 0f));
		int w = g.newWidth(), h = g.newHeight();
		float[] rows = validRows(lowRes, lowResSize, g);
		Bilinear.Axis ay = validAxis(lowResSize, g, h);
		if (w == g.width() && h == g.height()) {
			// An image whose longer side equals the input size: one bilinear step, thresholded
			// while interpolating.
			return new BinaryMask(w, h, Bilinear.verticalThreshold(rows, w, ay, 0f));
		}
		float[] frame = Bilinear.vertical(rows, w, ay);
		return new BinaryMask(g.width(), g.height(), Bilinear.resizeThreshold(frame, w, h, g.width(), g.height(), 0f));
	}

	public static BinaryMask threshold(float[] logits, int width, int height, float t) {
		byte[] bits = new byte[logits.length];
		for (int i = 0; i < bits.length; i++)
			bits[i] = logits[i] > t ? (byte) 1 : 0;
		return new BinaryMask(width, height, bits);
	}

	/**
	 * Bilinear L -> S along x, evaluated only for the valid (unpadded) columns: the crop to
	 * new_w x new_h after upsampling to S equals sampling S's grid only where it is kept.
	 */
	private static float[] validRows(float[] lowRes, int l, ResizeGeometry g) {
		return Bilinear.horizontal(lowRes, l, l, validAxis(l, g, g.newWidth()));
	}

	private static Bilinear.Axis validAxis(int l, ResizeGeometry g, int count) {
		return new Bilinear.Axis(l, g.inputSize(), count);
	}

	/**
	 * SAM's stability score: the IoU between the masks thresholded at +offset and -offset,
	 * i.e. |logits > offset| / |logits > -offset| (1 when both are empty).
	 */
	public static float stabilityScore(float[] logits, float threshold, float offset) {
		long inner = 0, outer = 0;
		float hi = threshold + offset, lo = threshold - offset;
		for (float v : logits) {
			if (v > hi) inner++;
			if (v > lo) outer++;
		}
		return outer == 0 ? 1f : inner / (float) outer;
	}
}
