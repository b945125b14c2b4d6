package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Links the labels of consecutive slices (z or t) so that one object keeps one label: each
 * object of the new slice takes the label of the previous slice's object it overlaps most,
 * matched greedily by IoU (highest first, one-to-one, IoU &gt;= the minimum); unmatched
 * objects get new labels. Only the previous slice is kept, so memory does not grow with the
 * stack.
 */
public final class SliceLinker {

	/** Default minimum IoU for two objects of adjacent slices to be one. */
	public static final double DEFAULT_MIN_IOU = 0.5;

	private final double minIou;
	private int[] previous;
	private Map<Integer, Long> previousAreas = new HashMap<>();
	private int nextLabel = 1;

	public SliceLinker(double minIou) {
		this.minIou = minIou;
	}

	/** The slice relabelled with stack-wide labels (its pixels are rewritten in place). */
	public LabelImage link(LabelImage slice) {
		int[] px = slice.labels();
		int n = slice.count();
		int[] map = new int[slice.maxLabel() + 1];
		if (previous != null && previous.length == px.length) {
			Map<Long, Long> overlaps = new HashMap<>();
			for (int i = 0; i < px.length; i++)
				if (px[i] > 0 && previous[i] > 0) overlaps.merge(((long) px[i] << 32) | previous[i], 1L, Long::sum);
			Map<Integer, Long> areas = new HashMap<>();
			for (ObjectStats o : slice.objects())
				areas.put(o.label, o.area);
			List<double[]> pairs = new ArrayList<>();
			for (Map.Entry<Long, Long> e : overlaps.entrySet()) {
				int cur = (int) (e.getKey() >>> 32), prev = (int) (e.getKey() & 0xffffffffL);
				double inter = e.getValue();
				double iou = inter / (areas.get(cur) + previousAreas.get(prev) - inter);
				if (iou >= minIou) pairs.add(new double[] { iou, cur, prev });
			}
			pairs.sort(Comparator.comparingDouble((double[] p) -> -p[0]).thenComparingDouble(p -> p[1]));
			java.util.Set<Integer> taken = new java.util.HashSet<>();
			for (double[] p : pairs) {
				int cur = (int) p[1], prev = (int) p[2];
				if (map[cur] == 0 && !taken.contains(prev)) {
					map[cur] = prev;
					taken.add(prev);
				}
			}
		}
		List<ObjectStats> objects = new ArrayList<>(n);
		for (ObjectStats o : slice.objects()) {
			if (map[o.label] == 0) map[o.label] = nextLabel++;
			objects.add(o.withLabel(map[o.label]));
		}
		objects.sort(Comparator.comparingInt(o -> o.label));
		for (int i = 0; i < px.length; i++)
			px[i] = map[px[i]];
		previous = px.clone();
		previousAreas = new HashMap<>();
		for (ObjectStats o : objects)
			previousAreas.put(o.label, o.area);
		int max = Arrays.stream(map).max().orElse(0);
		// The stack's largest label so far decides its bit depth.
		return new LabelImage(slice.width(), slice.height(), px, Math.max(max, nextLabel - 1), objects);
	}

	/** Labels handed out so far. */
	public int labelsUsed() {
		return nextLabel - 1;
	}
}
