package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Links the labels of consecutive slices (z or t) so that one object keeps one label: the
 * objects of the new slice and of the previous one are paired one-to-one for the largest
 * total IoU (optimal matching, pairs with IoU &gt;= the minimum; see
 * {@link BipartiteMatching}); then splits and merges continue the object they came from (the
 * larger piece keeps the label); the other objects get new labels. Only the previous slice is
 * kept, so memory does not grow with the stack.
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
			List<long[]> pairs = new ArrayList<>(); // {cur, prev, intersection}
			for (Map.Entry<Long, Long> e : overlaps.entrySet())
				pairs.add(new long[] { e.getKey() >>> 32, e.getKey() & 0xffffffffL, e.getValue() });
			// HashMap order is not a plan: sorted, every run links alike.
			pairs.sort(Comparator.comparingLong((long[] q) -> q[0]).thenComparingLong(q -> q[1]));
			Set<Integer> taken = new HashSet<>();
			matchOptimally(pairs, areas, map, taken);
			continueSplitsAndMerges(pairs, areas, map, taken);
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

	private double iou(long[] pair, Map<Integer, Long> areas) {
		double inter = pair[2];
		return inter / (areas.get((int) pair[0]) + previousAreas.get((int) pair[1]) - inter);
	}

	/**
	 * The pairs with IoU &gt;= the minimum, matched one-to-one for the largest total IoU. Greedy
	 * matching (best pair first) can take a pair that blocks two others: with a low minimum
	 * IoU and objects that move by more than half their size, an object is then given its
	 * neighbour's label and its own ends. The overlap graph falls apart into small groups of
	 * touching objects, each matched on its own, so a slice of thousands costs little.
	 */
	private void matchOptimally(List<long[]> pairs, Map<Integer, Long> areas, int[] map, Set<Integer> taken) {
		List<long[]> edges = new ArrayList<>();
		for (long[] p : pairs)
			if (iou(p, areas) >= minIou) edges.add(p);
		// Groups: union-find over current labels (c) and previous labels (-p).
		Map<Long, Long> parent = new HashMap<>();
		for (long[] e : edges)
			union(parent, e[0], -e[1]);
		Map<Long, List<long[]>> groups = new TreeMap<>();
		for (long[] e : edges)
			groups.computeIfAbsent(find(parent, e[0]), k -> new ArrayList<>()).add(e);
		for (List<long[]> group : groups.values()) {
			List<Long> rows = new ArrayList<>(), cols = new ArrayList<>();
			for (long[] e : group) {
				if (!rows.contains(e[0])) rows.add(e[0]);
				if (!cols.contains(e[1])) cols.add(e[1]);
			}
			double[][] w = new double[rows.size()][cols.size()];
			for (long[] e : group)
				w[rows.indexOf(e[0])][cols.indexOf(e[1])] = iou(e, areas);
			int[] match = BipartiteMatching.maximumWeight(w);
			for (int r = 0; r < match.length; r++)
				if (match[r] >= 0) {
					int prev = (int) (long) cols.get(match[r]);
					map[(int) (long) rows.get(r)] = prev;
					taken.add(prev);
				}
		}
	}

	/**
	 * Objects left unmatched after the IoU matching that continue one object: a new object
	 * lying mostly (at least half its area) inside an unmatched object of the previous slice (a
	 * split, or a shrinking object), or covering most of one (a merge). The largest overlap
	 * wins, so of the pieces of a split the larger keeps the label, and a merge takes the label
	 * of the larger object it swallowed.
	 */
	private void continueSplitsAndMerges(List<long[]> pairs, Map<Integer, Long> areas, int[] map,
		Set<Integer> taken)
	{
		List<long[]> candidates = new ArrayList<>();
		for (long[] p : pairs) {
			int cur = (int) p[0], prev = (int) p[1];
			if (map[cur] != 0 || taken.contains(prev)) continue;
			if (2 * p[2] >= areas.get(cur) || 2 * p[2] >= previousAreas.get(prev)) candidates.add(p);
		}
		candidates.sort(Comparator.comparingLong((long[] q) -> -q[2]).thenComparingLong(q -> q[0]).thenComparingLong(
			q -> q[1]));
		for (long[] p : candidates) {
			int cur = (int) p[0], prev = (int) p[1];
			if (map[cur] == 0 && !taken.contains(prev)) {
				map[cur] = prev;
				taken.add(prev);
			}
		}
	}

	private static long find(Map<Long, Long> parent, long x) {
		long root = x;
		while (parent.containsKey(root) && parent.get(root) != root)
			root = parent.get(root);
		parent.put(x, root);
		return root;
	}

	private static void union(Map<Long, Long> parent, long a, long b) {
		long ra = find(parent, a), rb = find(parent, b);
		if (ra != rb) parent.put(ra, rb);
	}

	/** Labels handed out so far. */
	public int labelsUsed() {
		return nextLabel - 1;
	}
}
