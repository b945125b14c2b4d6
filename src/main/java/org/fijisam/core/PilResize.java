package org.fijisam.core;

/**
 * Bit-exact re-implementation of Pillow's 8-bit bilinear resize ({@code Image.resize(size,
 * BILINEAR)} on an "L" or "RGB" image, no box, no reducing gap), which is how the official SAM 1
 * code resizes its input (ResizeLongestSide.apply_image: torchvision's resize of a PIL image).
 * Pillow differs from PyTorch's bilinear interpolation in two ways that change a model's input:
 * when shrinking, the triangle filter is widened by the scale factor (antialiasing), and each of
 * its two passes rounds and clips to 8 bits. Both are reproduced here to the last grey level.
 * <p>
 * The algorithm (Pillow's libImaging/Resample.c, unchanged in substance from 4.x to 11.x):
 * per axis, output sample {@code i} is centred at {@code (i + 0.5) * scale} in input coordinates;
 * the filter support is {@code max(scale, 1)}; the input range is {@code [(int) (c - support +
 * 0.5), (int) (c + support + 0.5))} clipped to the image; weights {@code tri((j - c + 0.5) /
 * max(scale, 1))} are normalised to sum 1 in double precision, then turned into 22-bit fixed
 * point, rounding half away from zero. A pass accumulates from {@code 1 << 21} (so the shift
 * rounds half up) and clips {@code acc >> 22} to 0..255. The horizontal pass runs first; a pass
 * whose size does not change is skipped.
 */
public final class PilResize {

	/** 32 bits minus 8 for the result minus 2 for overflow headroom, as in Pillow. */
	private static final int PRECISION_BITS = 32 - 8 - 2;
	private static final int HALF = 1 << (PRECISION_BITS - 1);

	private PilResize() {}

	/** The weights of one axis: for each output sample, its first input sample and fixed-point weights. */
	static final class Coefficients {
		final int[] first;
		final int[][] weights;

		Coefficients(int inSize, int outSize) {
			first = new int[outSize];
			weights = new int[outSize][];
			double scale = inSize / (double) outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = filterScale; // bilinear support 1.0, widened when shrinking
			double invFilterScale = 1.0 / filterScale;
			for (int i = 0; i < outSize; i++) {
				double center = (i + 0.5) * scale;
				// Java's (int) truncates towards zero like C's, which Pillow's bounds rely on.
				int min = Math.max(0, (int) (center - support + 0.5));
				int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
				double[] k = new double[max];
				double sum = 0;
				for (int j = 0; j < max; j++) {
					// Same operation order as Pillow, so the doubles round identically.
					k[j] = triangle((j + min - center + 0.5) * invFilterScale);
					sum += k[j];
				}
				int[] fixed = new int[max];
				for (int j = 0; j < max; j++) {
					double w = sum != 0 ? k[j] / sum : k[j];
					fixed[j] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
				}
				first[i] = min;
				weights[i] = fixed;
			}
		}
	}

	private static double triangle(double x) {
		if (x < 0) x = -x;
		return x < 1 ? 1 - x : 0;
	}

	private static byte clip8(int acc) {
		int v = acc >> PRECISION_BITS;
		return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
	}

	/**
	 * Resizes one 8-bit plane (unsigned bytes, row-major, x fastest) from {@code w x h} to
	 * {@code dstW x dstH}. Each channel of an RGB image resizes independently in Pillow, so
	 * calling this per channel gives Pillow's RGB result.
	 */
	public static byte[] resize(byte[] src, int w, int h, int dstW, int dstH) {
		if (src.length != w * h) throw new IllegalArgumentException("the plane must hold w * h values");
		if (dstW <= 0 || dstH <= 0) throw new IllegalArgumentException("empty target size");
		byte[] plane = src;
		int width = w;
		if (dstW != w) {
			plane = horizontal(plane, w, h, new Coefficients(w, dstW));
			width = dstW;
		}
		if (dstH != h) plane = vertical(plane, width, new Coefficients(h, dstH));
		return plane == src ? src.clone() : plane;
	}

	private static byte[] horizontal(byte[] src, int w, int h, Coefficients c) {
		int outW = c.first.length;
		byte[] out = new byte[outW * h];
		for (int y = 0; y < h; y++) {
			int row = y * w;
			for (int x = 0; x < outW; x++) {
				int[] k = c.weights[x];
				int at = row + c.first[x];
				int acc = HALF;
				for (int j = 0; j < k.length; j++)
					acc += (src[at + j] & 0xff) * k[j];
				out[y * outW + x] = clip8(acc);
			}
		}
		return out;
	}

	private static byte[] vertical(byte[] src, int w, Coefficients c) {
		int outH = c.first.length;
		byte[] out = new byte[w * outH];
		int[] acc = new int[w];
		for (int y = 0; y < outH; y++) {
			int[] k = c.weights[y];
			java.util.Arrays.fill(acc, HALF);
			for (int j = 0; j < k.length; j++) {
				int row = (c.first[y] + j) * w, kj = k[j];
				for (int x = 0; x < w; x++)
					acc[x] += (src[row + x] & 0xff) * kj;
			}
			for (int x = 0; x < w; x++)
				out[y * w + x] = clip8(acc[x]);
		}
		return out;
	}
}
