package org.fijisam.core;

/**
 * Bilinear resampling with the half-pixel convention of PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing, which is
 * what SAM's pre- and post-processing use. Separable: a horizontal pass, then a vertical one.
 */
public final class Bilinear {

	private Bilinear() {}

	/**
	 * Source index and weight tables for one axis resized from {@code srcLen} to
	 * {@code dstLen} samples, for the first {@code count} destination samples only (a crop of
	 * the resized axis costs only what is kept).
	 */
	public static final class Axis {
		/** Lower and upper source sample of each destination sample. */
		public final int[] lo;
		public final int[] hi;
		/** Weight of {@code hi}. */
		public final float[] frac;

		public Axis(int srcLen, int dstLen) {
			this(srcLen, dstLen, dstLen);
		}

		public Axis(int srcLen, int dstLen, int count) {
			lo = new int[count];
			hi = new int[count];
			frac = new float[count];
			double scale = srcLen / (double) dstLen;
			for (int d = 0; d < count; d++) {
				double s = (d + 0.5) * scale - 0.5;
				if (s < 0) s = 0;
				int l = (int) s;
				if (l > srcLen - 1) l = srcLen - 1;
				lo[d] = l;
				hi[d] = Math.min(l + 1, srcLen - 1);
				frac[d] = (float) (s - l);
			}
		}

		public int count() { return lo.length; }
	}

	/** Resamples each of {@code rows} rows (length {@code stride} apart) along x. */
	static float[] horizontal(float[] src, int stride, int rows, Axis ax) {
		int w = ax.count();
		float[] out = new float[rows * w];
		for (int y = 0; y < rows; y++) {
			int row = y * stride, o = y * w;
			for (int x = 0; x < w; x++) {
				float a = src[row + ax.lo[x]];
				out[o + x] = a + (src[row + ax.hi[x]] - a) * ax.frac[x];
			}
		}
		return out;
	}

	/** Resamples rows of width {@code cols} along y. */
	static float[] vertical(float[] src, int cols, Axis ay) {
		float[] out = new float[ay.count() * cols];
		for (int y = 0; y < ay.count(); y++) {
			int r0 = ay.lo[y] * cols, r1 = ay.hi[y] * cols, o = y * cols;
			float f = ay.frac[y];
			for (int x = 0; x < cols; x++) {
				float a = src[r0 + x];
				out[o + x] = a + (src[r1 + x] - a) * f;
			}
		}
		return out;
	}

	/**
	 * Like {@link #vertical} but thresholds while interpolating: 1 where the value is above
	 * {@code threshold}. Avoids materialising a full-resolution float map for a kept mask.
	 */
	static byte[] verticalThreshold(float[] src, int cols, Axis ay, float threshold) {
		byte[] out = new byte[ay.count() * cols];
		for (int y = 0; y < ay.count(); y++) {
			int r0 = ay.lo[y] * cols, r1 = ay.hi[y] * cols, o = y * cols;
			float f = ay.frac[y];
			for (int x = 0; x < cols; x++) {
				float a = src[r0 + x];
				out[o + x] = a + (src[r1 + x] - a) * f > threshold ? (byte) 1 : 0;
			}
		}
		return out;
	}

	/**
	 * Resizes the top-left {@code srcW x srcH} window of a row-major array whose rows are
	 * {@code srcStride} long to {@code dstW x dstH}.
	 */
	public static float[] resize(float[] src, int srcStride, int srcW, int srcH, int dstW, int dstH) {
		return vertical(horizontal(src, srcStride, srcH, new Axis(srcW, dstW)), dstW, new Axis(srcH, dstH));
	}

	public static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
		if (srcW == dstW && srcH == dstH) return src.clone();
		return resize(src, srcW, srcW, srcH, dstW, dstH);
	}

	/** Resizes and thresholds (value &gt; threshold gives 1) in one pass. */
	public static byte[] resizeThreshold(float[] src, int srcW, int srcH, int dstW, int dstH, float threshold) {
		return verticalThreshold(horizontal(src, srcW, srcH, new Axis(srcW, dstW)), dstW, new Axis(srcH, dstH),
			threshold);
	}
}
