package org.fijisam.core.amg;

import java.util.Arrays;

/**
 * Maximum-weight bipartite matching (the Hungarian method, O(n^2 m) for n rows and m
 * columns): the one-to-one pairing of rows and columns with the largest total weight. A
 * pair of weight 0 or less is never part of the answer, so "no pair" is written as 0.
 */
public final class BipartiteMatching {

	private BipartiteMatching() {}

	/**
	 * @param weight {@code weight[row][column]}, all rows the same length
	 * @return for each row, its column, or -1 when it is left unmatched
	 */
	public static int[] maximumWeight(double[][] weight) {
		int rows = weight.length, cols = rows == 0 ? 0 : weight[0].length;
		int[] out = new int[rows];
		Arrays.fill(out, -1);
		if (rows == 0 || cols == 0) return out;
		// Square cost matrix: maximising weight = minimising (max - weight); padding costs max,
		// which is the same as weight 0, i.e. "not matched".
		int n = Math.max(rows, cols);
		double max = 0;
		for (double[] r : weight)
			for (double v : r)
				max = Math.max(max, v);
		double[][] cost = new double[n + 1][n + 1];
		for (int i = 1; i <= n; i++)
			for (int j = 1; j <= n; j++)
				cost[i][j] = max - (i <= rows && j <= cols ? Math.max(0, weight[i - 1][j - 1]) : 0);
		int[] rowOf = hungarian(cost, n);
		for (int j = 1; j <= n; j++) {
			int i = rowOf[j];
			if (i >= 1 && i <= rows && j <= cols && weight[i - 1][j - 1] > 0) out[i - 1] = j - 1;
		}
		return out;
	}

	/** The classic potentials formulation (1-based); returns, per column, its row. */
	private static int[] hungarian(double[][] a, int n) {
		double[] u = new double[n + 1], v = new double[n + 1];
		int[] p = new int[n + 1], way = new int[n + 1];
		for (int i = 1; i <= n; i++) {
			p[0] = i;
			int j0 = 0;
			double[] minv = new double[n + 1];
			Arrays.fill(minv, Double.POSITIVE_INFINITY);
			boolean[] used = new boolean[n + 1];
			do {
				used[j0] = true;
				int i0 = p[j0], j1 = 0;
				double delta = Double.POSITIVE_INFINITY;
				for (int j = 1; j <= n; j++)
					if (!used[j]) {
						double cur = a[i0][j] - u[i0] - v[j];
						if (cur < minv[j]) {
							minv[j] = cur;
							way[j] = j0;
						}
						if (minv[j] < delta) {
							delta = minv[j];
							j1 = j;
						}
					}
				for (int j = 0; j <= n; j++)
					if (used[j]) {
						u[p[j]] += delta;
						v[j] -= delta;
					}
					else minv[j] -= delta;
				j0 = j1;
			}
			while (p[j0] != 0);
			do {
				int j1 = way[j0];
				p[j0] = p[j1];
				j0 = j1;
			}
			while (j0 != 0);
		}
		return p;
	}
}
