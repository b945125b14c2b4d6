package org.fijisam.core;

/**
 * Bilinear resampling with the half-pixel convention of PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing, which is
 * what SAM's pre- and post-processing use. Separable: a horizontal pass, then a vertical one.
 */
public final class Bilinear {

	private Bilinear() {}

	/** Source index and weight tables for one axis. */
	static final class Axis {
		final int[] lo;
		final int[] hi;
		final float[] frac;

		Axis(int srcLen, int dstLen) {
			lo = new int[dstLen];
			hi = new int[dstLen];
			frac = new float[dstLen];
			double scale = srcLen / (double) dstLen;
			for (int d = 0; d < dstLen; d++) {
				double s = (d + 0.5) * scale - 0.5;
				if (s < 0) s = 0;
				int l = (int) s;
				if (l > srcLen - 1) l = srcLen - 1;
				lo[d] = l;
				hi[d] = Math.min(l + 1, srcLen - 1);
				frac[d] = (float) (s - l);
			}
		}
	}

	/**
	 * Resizes the top-left {@code srcW x srcH} window of a row-major array whose rows are
	 * {@code srcStride} long to {@code dstW x dstH}.
	 */
	public static float[] resize(float[] src, int srcStride, int srcW, int srcH, int dstW, int dstH) {
		Axis ax = new Axis(srcW, dstW);
		Axis ay = new Axis(srcH, dstH);
		float[] tmp = new float[srcH * dstW];
		for (int y = 0; y < srcH; y++) {
			int row = y * srcStride, out = y * dstW;
			for (int x = 0; x < dstW; x++) {
				float a = src[row + ax.lo[x]], b = src[row + ax.hi[x]];
				tmp[out + x] = a + (b - a) * ax.frac[x];
			}
		}
		float[] dst = new float[dstW * dstH];
		for (int y = 0; y < dstH; y++) {
			int r0 = ay.lo[y] * dstW, r1 = ay.hi[y] * dstW, out = y * dstW;
			float f = ay.frac[y];
			for (int x = 0; x < dstW; x++) {
				float a = tmp[r0 + x];
				dst[out + x] = a + (tmp[r1 + x] - a) * f;
			}
		}
		return dst;
	}

	/**
	 * Resizes like {@link #resize(float[], int, int, int, int, int)} and thresholds in the same
	 * pass: 1 where the interpolated value is above {@code threshold}. Avoids materialising the
	 * full-resolution float map, which dominates the cost of a kept mask.
	 */
	public static byte[] resizeThreshold(float[] src, int srcStride, int srcW, int srcH, int dstW, int dstH,
		float threshold)
	{
		Axis ax = new Axis(srcW, dstW);
		Axis ay = new Axis(srcH, dstH);
		float[] tmp = new float[srcH * dstW];
		for (int y = 0; y < srcH; y++) {
			int row = y * srcStride, out = y * dstW;
			for (int x = 0; x < dstW; x++) {
				float a = src[row + ax.lo[x]], b = src[row + ax.hi[x]];
				tmp[out + x] = a + (b - a) * ax.frac[x];
			}
		}
		byte[] dst = new byte[dstW * dstH];
		for (int y = 0; y < dstH; y++) {
			int r0 = ay.lo[y] * dstW, r1 = ay.hi[y] * dstW, out = y * dstW;
			float f = ay.frac[y];
			for (int x = 0; x < dstW; x++) {
				float a = tmp[r0 + x];
				dst[out + x] = a + (tmp[r1 + x] - a) * f > threshold ? (byte) 1 : 0;
			}
		}
		return dst;
	}

	public static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
		if (srcW == dstW && srcH == dstH) return src.clone();
		return resize(src, srcW, srcW, srcH, dstW, dstH);
	}
}
