package org.fijisam.core.propagation;

import java.util.Map;

import org.fijisam.core.BinaryMask;

/** Paints propagated objects into a label volume: one int label image per plane, 0 = background. */
public final class LabelVolume {

	private LabelVolume() {}

	/**
	 * One {@code int[width * height]} per plane (row-major); each object keeps its label on every
	 * plane. Where objects overlap, the one given later wins, so a pixel has one label.
	 */
	public static int[][] paint(PropagationResult result) {
		int n = result.width() * result.height();
		int[][] volume = new int[result.planes()][n];
		for (PropagatedObject o : result.objects()) {
			for (Map.Entry<Integer, BinaryMask> e : o.masks().entrySet()) {
				int[] labels = volume[e.getKey()];
				byte[] bits = e.getValue().data();
				for (int i = 0; i < n; i++)
					if (bits[i] != 0) labels[i] = o.label();
			}
		}
		return volume;
	}
}
