package org.fijisam.core;

/**
 * Exact squared Euclidean distance to the nearest background pixel (Felzenszwalb and
 * Huttenlocher's separable lower-envelope method). Pixels outside the image count as
 * background, so an object touching the border is "thin" there.
 */
public final class DistanceTransform {

	private static final float INF = 1e20f;

	private DistanceTransform() {}

	/** Squared distances; 0 on background. {@code inside[p]} true = foreground. */
	public static float[] squared(boolean[] inside, int width, int height) {
		float[] d = new float[inside.length];
		// Columns, with the border as background: pad one pixel above and below.
		float[] f = new float[height + 2];
		float[] out = new float[height + 2];
		for (int x = 0; x < width; x++) {
			f[0] = 0;
			f[height + 1] = 0;
			for (int y = 0; y < height; y++)
				f[y + 1] = inside[y * width + x] ? INF : 0;
			edt1d(f, height + 2, out);
			for (int y = 0; y < height; y++)
				d[y * width + x] = out[y + 1];
		}
		float[] g = new float[width + 2];
		float[] outRow = new float[width + 2];
		for (int y = 0; y < height; y++) {
			int row = y * width;
			g[0] = 0;
			g[width + 1] = 0;
			for (int x = 0; x < width; x++)
				g[x + 1] = d[row + x];
			edt1d(g, width + 2, outRow);
			for (int x = 0; x < width; x++)
				d[row + x] = outRow[x + 1];
		}
		return d;
	}

	private static void edt1d(float[] f, int n, float[] out) {
		int[] v = new int[n];
		float[] z = new float[n + 1];
		int k = 0;
		v[0] = 0;
		z[0] = -Float.MAX_VALUE;
		z[1] = Float.MAX_VALUE;
		for (int q = 1; q < n; q++) {
			float s = intersection(f, q, v[k]);
			// z[0] is -infinity, so this stops at k = 0 at the latest.
			while (s <= z[k]) {
				k--;
				s = intersection(f, q, v[k]);
			}
			k++;
			v[k] = q;
			z[k] = s;
			z[k + 1] = Float.MAX_VALUE;
		}
		k = 0;
		for (int q = 0; q < n; q++) {
			while (z[k + 1] < q)
				k++;
			float dq = q - v[k];
			out[q] = dq * dq + f[v[k]];
		}
	}

	/** Where the parabolas rooted at q and p intersect. */
	private static float intersection(float[] f, int q, int p) {
		return ((f[q] + (float) q * q) - (f[p] + (float) p * p)) / (2f * (q - p));
	}

	/**
	 * The pixel deepest inside the mask (largest distance to background), as {x, y}, or null
	 * if the mask is empty. Ties go to the first in raster order.
	 */
	public static int[] deepestPixel(boolean[] inside, int width, int height) {
		float[] d = squared(inside, width, height);
		int best = -1;
		float bestD = 0;
		for (int p = 0; p < d.length; p++) {
			if (inside[p] && d[p] > bestD) {
				bestD = d[p];
				best = p;
			}
		}
		return best < 0 ? null : new int[] { best % width, best / width };
	}
}
