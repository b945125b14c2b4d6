package org.fijisam.core;

/**
 * Float resize with an antialiased triangle (bilinear) filter, as PyTorch's
 * {@code interpolate(mode="bilinear", antialias=True, align_corners=False)} and torchvision's
 * tensor {@code Resize} (antialias on by default since 0.17) compute it: the filter that
 * Pillow's BILINEAR uses, but in float and without rounding to 8 bits. SAM 2 preprocesses its
 * input this way (0..1 floats stretched to 1024x1024), so masks match the official ones only
 * when the model input is computed like this.
 * <p>
 * Per axis, output sample {@code i} is centred at {@code (i + 0.5) * scale} in input
 * coordinates (scale = in / out); the support is {@code max(scale, 1)}, so shrinking averages
 * over more input samples; the taps are {@code [(int) (c - support + 0.5), (int) (c + support +
 * 0.5))} clipped to the image, with weights {@code tri((j - c + 0.5) / max(scale, 1))}
 * normalised over the taps that exist (which is how the edges are handled). When enlarging
 * this is plain bilinear with half-pixel centres. Width first, then height; an axis whose
 * size does not change is left alone.
 */
public final class AntialiasedResize {

	private AntialiasedResize() {}

	/** One axis: for each output sample its first input sample and its weights. */
	static final class Axis {
		final int[] first;
		final float[][] weights;

		Axis(int inSize, int outSize) {
			first = new int[outSize];
			weights = new float[outSize][];
			double scale = inSize / (double) outSize;
			double support = Math.max(scale, 1.0);
			double invFilterScale = 1.0 / support;
			for (int i = 0; i < outSize; i++) {
				double center = (i + 0.5) * scale;
				// (int) truncates towards zero, as the C++ casts the bounds rely on.
				int min = Math.max(0, (int) (center - support + 0.5));
				int n = Math.min(inSize, (int) (center + support + 0.5)) - min;
				double[] k = new double[n];
				double sum = 0;
				for (int j = 0; j < n; j++) {
					k[j] = triangle((j + min - center + 0.5) * invFilterScale);
					sum += k[j];
				}
				float[] w = new float[n];
				for (int j = 0; j < n; j++)
					w[j] = (float) (sum != 0 ? k[j] / sum : k[j]);
				first[i] = min;
				weights[i] = w;
			}
		}
	}

	private static double triangle(double x) {
		if (x < 0) x = -x;
		return x < 1 ? 1 - x : 0;
	}

	/** Resizes one row-major float plane from {@code w x h} to {@code dstW x dstH}; a new array. */
	public static float[] resize(float[] src, int w, int h, int dstW, int dstH) {
		if (src.length != w * h) throw new IllegalArgumentException("the plane must hold w * h values");
		if (dstW <= 0 || dstH <= 0) throw new IllegalArgumentException("empty target size");
		float[] plane = src;
		if (dstW != w) plane = horizontal(plane, w, h, new Axis(w, dstW));
		if (dstH != h) plane = vertical(plane, dstW, new Axis(h, dstH));
		return plane == src ? src.clone() : plane;
	}

	private static float[] horizontal(float[] src, int w, int h, Axis a) {
		int outW = a.first.length;
		float[] out = new float[outW * h];
		for (int y = 0; y < h; y++) {
			int row = y * w;
			for (int x = 0; x < outW; x++) {
				float[] k = a.weights[x];
				int at = row + a.first[x];
				float acc = 0;
				for (int j = 0; j < k.length; j++)
					acc += src[at + j] * k[j];
				out[y * outW + x] = acc;
			}
		}
		return out;
	}

	private static float[] vertical(float[] src, int w, Axis a) {
		int outH = a.first.length;
		float[] out = new float[w * outH];
		for (int y = 0; y < outH; y++) {
			float[] k = a.weights[y];
			int o = y * w;
			for (int j = 0; j < k.length; j++) {
				int row = (a.first[y] + j) * w;
				float kj = k[j];
				for (int x = 0; x < w; x++)
					out[o + x] += src[row + x] * kj;
			}
		}
		return out;
	}
}
