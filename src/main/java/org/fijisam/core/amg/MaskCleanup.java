package org.fijisam.core.amg;

import org.fijisam.core.ConnectedComponents;

/**
 * SAM's optional cleanup (min_mask_region_area > 0): fill holes smaller than the area, then
 * remove islands smaller than the area (8-connected), keeping the largest island when every
 * island is small. Works on the mask's bounding-box window: background that reaches a side
 * of the window which is not an image border is connected to the outside and never counts
 * as a hole (SAM, working on the whole image, differs only when the outside strip itself is
 * smaller than the area, which needs a mask spanning nearly the whole image).
 */
public final class MaskCleanup {

	/** The cleaned mask and whether anything changed. */
	public static final class Result {
		public final LocalMask mask;
		public final boolean changed;

		Result(LocalMask mask, boolean changed) {
			this.mask = mask;
			this.changed = changed;
		}
	}

	private MaskCleanup() {}

	/**
	 * @param imageWidth width of the frame the mask lives in (to know which sides are image borders)
	 * @param imageHeight height of that frame
	 */
	public static Result clean(LocalMask mask, int minArea, int imageWidth, int imageHeight) {
		if (minArea <= 0) return new Result(mask, false);
		int w = mask.width(), h = mask.height();
		byte[] bits = mask.bits().clone();
		boolean changed = fillHoles(bits, w, h, minArea, mask, imageWidth, imageHeight);
		changed |= removeIslands(bits, w, h, minArea);
		if (!changed) return new Result(mask, false);
		return new Result(LocalMask.of(bits, w, h, mask.x(), mask.y()), true);
	}

	private static boolean fillHoles(byte[] bits, int w, int h, int minArea, LocalMask m, int imageW, int imageH) {
		byte[] background = new byte[bits.length];
		for (int i = 0; i < bits.length; i++)
			background[i] = bits[i] == 0 ? (byte) 1 : 0;
		ConnectedComponents.Result bg = ConnectedComponents.label(background, w, h, true);
		if (bg.count == 0) return false;
		boolean[] open = new boolean[bg.count + 1];
		boolean left = m.x() > 0, top = m.y() > 0, right = m.x() + w < imageW, bottom = m.y() + h < imageH;
		for (int x = 0; x < w; x++) {
			if (top) open[bg.labels[x]] = true;
			if (bottom) open[bg.labels[(h - 1) * w + x]] = true;
		}
		for (int y = 0; y < h; y++) {
			if (left) open[bg.labels[y * w]] = true;
			if (right) open[bg.labels[y * w + w - 1]] = true;
		}
		boolean[] fill = new boolean[bg.count + 1];
		boolean any = false;
		for (int c = 1; c <= bg.count; c++) {
			fill[c] = !open[c] && bg.areas[c] < minArea;
			any |= fill[c];
		}
		if (!any) return false;
		for (int i = 0; i < bits.length; i++)
			if (fill[bg.labels[i]]) bits[i] = 1;
		return true;
	}

	private static boolean removeIslands(byte[] bits, int w, int h, int minArea) {
		ConnectedComponents.Result fg = ConnectedComponents.label(bits, w, h, true);
		boolean[] keep = new boolean[fg.count + 1];
		boolean anySmall = false, anyKept = false;
		int largest = 1;
		for (int c = 1; c <= fg.count; c++) {
			keep[c] = fg.areas[c] >= minArea;
			anySmall |= !keep[c];
			anyKept |= keep[c];
			if (fg.areas[c] > fg.areas[largest]) largest = c;
		}
		if (!anySmall) return false;
		// Every island small: keep the largest rather than erase the mask.
		if (!anyKept) keep[largest] = true;
		for (int i = 0; i < bits.length; i++)
			if (bits[i] != 0 && !keep[fg.labels[i]]) bits[i] = 0;
		return true;
	}
}
