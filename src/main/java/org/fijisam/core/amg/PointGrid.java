package org.fijisam.core.amg;

/**
 * SAM's regular prompt grid: n x n points in the unit square at (i + 0.5) / n, i.e. offset
 * 1 / (2n) from the borders, x varying fastest.
 */
public final class PointGrid {

	private PointGrid() {}

	/** {x0, y0, x1, y1, ...} in [0, 1], row by row. */
	public static double[] normalized(int pointsPerSide) {
		if (pointsPerSide < 1) throw new IllegalArgumentException("points_per_side must be at least 1, got " +
			pointsPerSide + ".");
		int n = pointsPerSide;
		double offset = 1.0 / (2 * n);
		double[] side = new double[n];
		for (int i = 0; i < n; i++)
			// linspace(offset, 1 - offset, n); a single point sits in the middle.
			side[i] = n == 1 ? 0.5 : offset + i * (1 - 2 * offset) / (n - 1);
		double[] xy = new double[2 * n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				xy[2 * (y * n + x)] = side[x];
				xy[2 * (y * n + x) + 1] = side[y];
			}
		return xy;
	}

	/** The grid scaled to a crop of {@code width x height} pixels (crop-frame coordinates). */
	public static double[] scaled(int pointsPerSide, int width, int height) {
		double[] xy = normalized(pointsPerSide);
		for (int i = 0; i < xy.length; i += 2) {
			xy[i] *= width;
			xy[i + 1] *= height;
		}
		return xy;
	}

	/** Points per side of crop layer {@code layer}: int(n / factor^layer). */
	public static int pointsForLayer(int pointsPerSide, int downscaleFactor, int layer) {
		return (int) (pointsPerSide / Math.pow(downscaleFactor, layer));
	}
}
