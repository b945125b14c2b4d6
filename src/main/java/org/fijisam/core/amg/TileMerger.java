package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins the masks of overlapping tiles into one set without duplicates or seams. Each tile
 * sees its core plus a halo, so an object cut by a tile border is seen by both neighbours in
 * the region they share. Masks of different tiles that agree there (IoU within the shared
 * region &gt;= {@code linkIou}) are the same object: from each such group, a mask that does
 * not touch its tile's inner region border (it is complete) is kept, the largest if several;
 * when every member is cut (the object is larger than the halo), the pieces are united.
 */
public final class TileMerger {

	/** Default agreement in the shared region for two masks to be one object. */
	public static final double DEFAULT_LINK_IOU = 0.5;

	private TileMerger() {}

	/**
	 * @param tiles the layout
	 * @param perTile masks of each tile, in image coordinates, same order as {@code tiles}
	 */
	public static List<GeneratedMask> merge(List<Tiling.Tile> tiles, List<List<GeneratedMask>> perTile, int width,
		int height, double linkIou)
	{
		List<GeneratedMask> all = new ArrayList<>();
		List<Integer> tileOf = new ArrayList<>();
		List<Boolean> complete = new ArrayList<>();
		int[] firstOfTile = new int[tiles.size() + 1];
		for (int t = 0; t < tiles.size(); t++) {
			firstOfTile[t] = all.size();
			for (GeneratedMask m : perTile.get(t)) {
				all.add(m);
				tileOf.add(t);
				complete.add(!touchesInnerBorder(m.mask(), tiles.get(t), width, height));
			}
		}
		firstOfTile[tiles.size()] = all.size();
		int[] parent = new int[all.size()];
		for (int i = 0; i < parent.length; i++)
			parent[i] = i;
		for (int a = 0; a < tiles.size(); a++) {
			for (int b = a + 1; b < tiles.size(); b++) {
				int[] zone = intersection(tiles.get(a), tiles.get(b));
				if (zone == null) continue;
				for (int i = firstOfTile[a]; i < firstOfTile[a + 1]; i++) {
					LocalMask mi = all.get(i).mask();
					if (!meets(mi, zone)) continue;
					for (int j = firstOfTile[b]; j < firstOfTile[b + 1]; j++) {
						LocalMask mj = all.get(j).mask();
						if (!meets(mj, zone)) continue;
						long inter = mi.intersection(mj);
						if (inter == 0) continue;
						long zi = areaIn(mi, zone), zj = areaIn(mj, zone);
						if (inter / (double) (zi + zj - inter) >= linkIou) union(parent, i, j);
					}
				}
			}
		}
		java.util.Map<Integer, List<Integer>> groups = new java.util.LinkedHashMap<>();
		for (int i = 0; i < all.size(); i++)
			groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
		List<GeneratedMask> out = new ArrayList<>();
		for (List<Integer> group : groups.values())
			out.add(resolve(all, complete, group));
		return out;
	}

	private static GeneratedMask resolve(List<GeneratedMask> all, List<Boolean> complete, List<Integer> group) {
		GeneratedMask best = null;
		for (int i : group)
			if (complete.get(i) && (best == null || all.get(i).area() > best.area())) best = all.get(i);
		if (best != null) return best;
		// Every piece is cut: the object is larger than the halo; glue the pieces together.
		GeneratedMask largest = all.get(group.get(0));
		LocalMask union = largest.mask();
		for (int i : group) {
			if (all.get(i).area() > largest.area()) largest = all.get(i);
			union = union.union(all.get(i).mask());
		}
		return largest.withMask(union);
	}

	/** Whether the mask reaches a side of its tile's region that is not an image side. */
	static boolean touchesInnerBorder(LocalMask m, Tiling.Tile t, int width, int height) {
		return m.x() == t.regionX0 && t.regionX0 > 0 || m.y() == t.regionY0 && t.regionY0 > 0 ||
			m.x() + m.width() == t.regionX1 && t.regionX1 < width || m.y() + m.height() == t.regionY1 &&
				t.regionY1 < height;
	}

	private static int[] intersection(Tiling.Tile a, Tiling.Tile b) {
		int x0 = Math.max(a.regionX0, b.regionX0), y0 = Math.max(a.regionY0, b.regionY0);
		int x1 = Math.min(a.regionX1, b.regionX1), y1 = Math.min(a.regionY1, b.regionY1);
		return x0 < x1 && y0 < y1 ? new int[] { x0, y0, x1, y1 } : null;
	}

	private static boolean meets(LocalMask m, int[] zone) {
		return m.x() < zone[2] && m.x() + m.width() > zone[0] && m.y() < zone[3] && m.y() + m.height() > zone[1];
	}

	private static long areaIn(LocalMask m, int[] zone) {
		long n = 0;
		int x0 = Math.max(zone[0], m.x()), x1 = Math.min(zone[2], m.x() + m.width());
		int y0 = Math.max(zone[1], m.y()), y1 = Math.min(zone[3], m.y() + m.height());
		byte[] bits = m.bits();
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++)
				n += bits[(y - m.y()) * m.width() + x - m.x()];
		return n;
	}

	private static int find(int[] parent, int i) {
		while (parent[i] != i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	}

	private static void union(int[] parent, int a, int b) {
		int ra = find(parent, a), rb = find(parent, b);
		if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
	}
}
