package org.fijisam.core;

/** Connected-component labelling of binary masks (union-find over one raster pass). */
public final class ConnectedComponents {

	private ConnectedComponents() {}

	/** Labels and their count; label 0 is background, components are 1..count in raster order. */
	public static final class Result {
		public final int[] labels;
		public final int count;
		public final int[] areas;

		Result(int[] labels, int count, int[] areas) {
			this.labels = labels;
			this.count = count;
			this.areas = areas;
		}
	}

	/**
	 * @param mask nonzero = foreground, row-major
	 * @param eightConnected diagonal neighbours join components when true
	 */
	public static Result label(byte[] mask, int width, int height, boolean eightConnected) {
		int[] labels = new int[mask.length];
		int[] parent = new int[mask.length / 2 + 2];
		int next = 1;
		for (int y = 0; y < height; y++) {
			int row = y * width;
			for (int x = 0; x < width; x++) {
				int p = row + x;
				if (mask[p] == 0) continue;
				int best = 0;
				int[] neighbours = {
					x > 0 ? labels[p - 1] : 0,
					y > 0 ? labels[p - width] : 0,
					eightConnected && x > 0 && y > 0 ? labels[p - width - 1] : 0,
					eightConnected && x < width - 1 && y > 0 ? labels[p - width + 1] : 0 };
				for (int n : neighbours) {
					if (n == 0) continue;
					int r = find(parent, n);
					if (best == 0) best = r;
					else if (r != best) {
						int lo = Math.min(r, best), hi = Math.max(r, best);
						parent[hi] = lo;
						best = lo;
					}
				}
				if (best == 0) {
					if (next >= parent.length) parent = java.util.Arrays.copyOf(parent, parent.length * 2);
					parent[next] = next;
					best = next++;
				}
				labels[p] = best;
			}
		}
		// Compact the roots to 1..count in order of first appearance.
		int[] compact = new int[next];
		int count = 0;
		for (int i = 1; i < next; i++) {
			int r = find(parent, i);
			if (compact[r] == 0) compact[r] = ++count;
			compact[i] = compact[r];
		}
		int[] areas = new int[count + 1];
		for (int p = 0; p < labels.length; p++) {
			if (labels[p] == 0) continue;
			labels[p] = compact[labels[p]];
			areas[labels[p]]++;
		}
		return new Result(labels, count, areas);
	}

	private static int find(int[] parent, int i) {
		while (parent[i] != i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	}
}
