package org.fijisam.core.amg;

/**
 * 8-connected component labelling (the connectivity SAM's cleanup uses) of a row-major
 * window: components are numbered 1.. in raster order of their first pixel.
 */
final class ConnectedComponents {

	/** Component of each pixel (0 = not in the set). */
	final int[] labels;
	/** Number of components. */
	final int count;
	/** Pixel count per component, index 1..count. */
	final int[] sizes;

	private ConnectedComponents(int[] labels, int count, int[] sizes) {
		this.labels = labels;
		this.count = count;
		this.sizes = sizes;
	}

	/** Components of the pixels where {@code in[i] == value}. */
	static ConnectedComponents of(byte[] in, byte value, int w, int h) {
		int[] labels = new int[w * h];
		int[] queue = new int[w * h];
		int count = 0;
		int[] sizes = new int[16];
		for (int start = 0; start < labels.length; start++) {
			if (in[start] != value || labels[start] != 0) continue;
			count++;
			int head = 0, tail = 0;
			queue[tail++] = start;
			labels[start] = count;
			while (head < tail) {
				int p = queue[head++];
				int px = p % w, py = p / w;
				for (int dy = -1; dy <= 1; dy++) {
					int ny = py + dy;
					if (ny < 0 || ny >= h) continue;
					for (int dx = -1; dx <= 1; dx++) {
						int nx = px + dx;
						if (nx < 0 || nx >= w) continue;
						int q = ny * w + nx;
						if (in[q] == value && labels[q] == 0) {
							labels[q] = count;
							queue[tail++] = q;
						}
					}
				}
			}
			if (count >= sizes.length) sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
			sizes[count] = tail;
		}
		return new ConnectedComponents(labels, count, java.util.Arrays.copyOf(sizes, count + 1));
	}
}
