package org.fijisam.core.ais;

import java.util.Arrays;

import org.fijisam.core.ConnectedComponents;
import org.fijisam.core.InstanceMaps;
import org.fijisam.core.SamException;

/**
 * Objects from an instance decoder's maps: seeds are the connected cores of objects (low centre
 * and boundary distance), and each seed floods the foreground in order of rising boundary
 * distance, so two touching objects meet where their boundaries are. Linear in the pixels: a
 * bucket queue over 256 levels of the boundary distance, first in first out within a level,
 * so the result does not depend on anything but the maps.
 */
public final class SeededWatershed {

	private static final int LEVELS = 256;

	private SeededWatershed() {}

	/**
	 * One label per object (1..n in raster order of the seeds), 0 for background.
	 *
	 * @throws SamException when the maps give more than {@link AisParameters#MAX_SEEDS} seeds
	 */
	public static int[] segment(InstanceMaps maps, AisParameters p) throws SamException {
		int w = maps.width(), h = maps.height(), n = w * h;
		float[] fg = maps.foreground(), cd = maps.centerDistance(), bd = maps.boundaryDistance();
		float tf = (float) p.foregroundThreshold(), tc = (float) p.centerDistanceThreshold(), tb = (float) p
			.boundaryDistanceThreshold();
		byte[] seedMask = new byte[n];
		for (int i = 0; i < n; i++)
			if (fg[i] > tf && cd[i] < tc && bd[i] < tb) seedMask[i] = 1;
		ConnectedComponents.Result seeds = ConnectedComponents.label(seedMask, w, h, true);
		if (seeds.count > AisParameters.MAX_SEEDS) throw new SamException("The instance decoder's maps give " +
			seeds.count + " seeds on one " + w + "x" + h + " plane (more than " + AisParameters.MAX_SEEDS + "): that " +
			"is noise, not objects. Check the image's contrast (normalize), or raise foreground_threshold or lower " +
			"center_distance_threshold / boundary_distance_threshold.");
		int[] labels = Arrays.copyOf(seeds.labels, n);
		// Bucket queue: level -> FIFO of pixel indices (one int array per level, grown as needed).
		int[][] queue = new int[LEVELS][];
		int[] head = new int[LEVELS], tail = new int[LEVELS];
		for (int i = 0; i < n; i++)
			if (labels[i] != 0) push(queue, head, tail, level(bd[i]), i);
		int current = 0;
		while (true) {
			while (current < LEVELS && head[current] == tail[current])
				current++;
			if (current == LEVELS) break;
			int i = queue[current][head[current]++];
			int x = i % w, y = i / w, label = labels[i];
			int[] neighbours = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 };
			for (int j : neighbours) {
				if (j < 0 || labels[j] != 0 || !(fg[j] > tf)) continue;
				labels[j] = label;
				// A neighbour lower than the current level is flooded now (the flood never goes back down).
				push(queue, head, tail, Math.max(current, level(bd[j])), j);
			}
		}
		return labels;
	}

	private static int level(float distance) {
		if (!(distance > 0)) return 0;
		return Math.min(LEVELS - 1, (int) (distance * (LEVELS - 1)));
	}

	private static void push(int[][] queue, int[] head, int[] tail, int level, int pixel) {
		int[] q = queue[level];
		if (q == null) q = queue[level] = new int[64];
		else if (tail[level] == q.length) {
			// Reuse the consumed front before growing.
			if (head[level] > 0) {
				System.arraycopy(q, head[level], q, 0, tail[level] - head[level]);
				tail[level] -= head[level];
				head[level] = 0;
			}
			if (tail[level] == q.length) q = queue[level] = Arrays.copyOf(q, q.length * 2);
		}
		q[tail[level]++] = pixel;
	}
}
