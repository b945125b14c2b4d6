package org.fijisam.core;

/**
 * Turns low-resolution logits into a full-resolution mask as SAM does: bilinear L -> S
 * (model frame), crop the valid new_h x new_w region, bilinear to the original size,
 * threshold at 0. Done in Java, and only for masks that are kept.
 */
public final class MaskPostprocessor {

	private MaskPostprocessor() {}

	/** Full-resolution logits (original size, row-major). */
	public static float[] upsampleLogits(float[] lowRes, int lowResSize, ResizeGeometry g) {
		int s = g.inputSize();
		// Only the rows and columns of the model frame that survive the crop are computed:
		// bilinear L->S restricted to the top-left newW x newH window is the same as resizing
		// with S's sampling grid, so compute exactly those samples.
		float[] frame = resizeWindow(lowRes, lowResSize, s, g.newWidth(), g.newHeight());
		if (g.newWidth() == g.width() && g.newHeight() == g.height()) return frame;
		return Bilinear.resize(frame, g.newWidth(), g.newHeight(), g.width(), g.height());
	}

	public static BinaryMask toMask(float[] lowRes, int lowResSize, ResizeGeometry g) {
		int s = g.inputSize(), w = g.newWidth(), h = g.newHeight();
		if (w == g.width() && h == g.height()) {
			// Common case (an image whose longer side equals the input size): L -> S restricted
			// to the valid window is one bilinear step; threshold while interpolating.
			Bilinear.Axis ax = new Bilinear.Axis(lowResSize, s);
			int l = lowResSize;
			float[] tmp = new float[l * w];
			for (int y = 0; y < l; y++) {
				int row = y * l, out = y * w;
				for (int x = 0; x < w; x++) {
					float a = lowRes[row + ax.lo[x]];
					tmp[out + x] = a + (lowRes[row + ax.hi[x]] - a) * ax.frac[x];
				}
			}
			byte[] bits = new byte[w * h];
			for (int y = 0; y < h; y++) {
				int r0 = ax.lo[y] * w, r1 = ax.hi[y] * w, out = y * w;
				float f = ax.frac[y];
				for (int x = 0; x < w; x++) {
					float a = tmp[r0 + x];
					bits[out + x] = a + (tmp[r1 + x] - a) * f > 0f ? (byte) 1 : 0;
				}
			}
			return new BinaryMask(w, h, bits);
		}
		float[] frame = resizeWindow(lowRes, lowResSize, s, w, h);
		return new BinaryMask(g.width(), g.height(), Bilinear.resizeThreshold(frame, w, w, h, g.width(), g
			.height(), 0f));
	}

	public static BinaryMask threshold(float[] logits, int width, int height, float t) {
		byte[] bits = new byte[logits.length];
		for (int i = 0; i < bits.length; i++)
			bits[i] = logits[i] > t ? (byte) 1 : 0;
		return new BinaryMask(width, height, bits);
	}

	/**
	 * Bilinear L x L -> S x S, evaluated only on the top-left w x h window of the result.
	 */
	static float[] resizeWindow(float[] src, int l, int s, int w, int h) {
		Bilinear.Axis ax = new Bilinear.Axis(l, s);
		float[] tmp = new float[l * w];
		for (int y = 0; y < l; y++) {
			int row = y * l, out = y * w;
			for (int x = 0; x < w; x++) {
				float a = src[row + ax.lo[x]];
				tmp[out + x] = a + (src[row + ax.hi[x]] - a) * ax.frac[x];
			}
		}
		float[] dst = new float[w * h];
		for (int y = 0; y < h; y++) {
			int r0 = ax.lo[y] * w, r1 = ax.hi[y] * w, out = y * w;
			float f = ax.frac[y];
			for (int x = 0; x < w; x++) {
				float a = tmp[r0 + x];
				dst[out + x] = a + (tmp[r1 + x] - a) * f;
			}
		}
		return dst;
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
