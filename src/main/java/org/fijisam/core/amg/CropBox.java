package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

/**
 * One crop of SAM's multi-layer crop scheme: pixel box [x0, x1) x [y0, y1) and its layer
 * (0 = whole image).
 */
public final class CropBox {

	public final int x0, y0, x1, y1;
	public final int layer;

	public CropBox(int x0, int y0, int x1, int y1, int layer) {
		this.x0 = x0;
		this.y0 = y0;
		this.x1 = x1;
		this.y1 = y1;
		this.layer = layer;
	}

	public int width() { return x1 - x0; }

	public int height() { return y1 - y0; }

	/** Area as SAM scores crops against each other: (x1 - x0) * (y1 - y0). */
	public long area() { return (long) width() * height(); }

	/** {x, y, width, height}, as the crop_box output field. */
	public int[] xywh() { return new int[] { x0, y0, width(), height() }; }

	/**
	 * SAM's crop layout: layer 0 is the whole image; layer i (1..nLayers) has 2^i crops per
	 * side with overlap int(ratio * min(W, H) * 2 / 2^i) and crop length
	 * ceil((overlap * (2^i - 1) + len) / 2^i); crops are listed x-major (all y for the first x,
	 * then the next x), and clipped to the image.
	 */
	public static List<CropBox> layout(int width, int height, int nLayers, double overlapRatio) {
		List<CropBox> boxes = new ArrayList<>();
		boxes.add(new CropBox(0, 0, width, height, 0));
		int shortSide = Math.min(width, height);
		for (int layer = 1; layer <= nLayers; layer++) {
			int perSide = 1 << layer;
			int overlap = (int) (overlapRatio * shortSide * (2.0 / perSide));
			int cropW = cropLength(width, perSide, overlap);
			int cropH = cropLength(height, perSide, overlap);
			for (int i = 0; i < perSide; i++) {
				int x0 = (cropW - overlap) * i;
				for (int j = 0; j < perSide; j++) {
					int y0 = (cropH - overlap) * j;
					boxes.add(new CropBox(x0, y0, Math.min(x0 + cropW, width), Math.min(y0 + cropH, height), layer));
				}
			}
		}
		return boxes;
	}

	static int cropLength(int length, int crops, int overlap) {
		return (int) Math.ceil((overlap * (crops - 1) + length) / (double) crops);
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof CropBox)) return false;
		CropBox c = (CropBox) o;
		return c.x0 == x0 && c.y0 == y0 && c.x1 == x1 && c.y1 == y1 && c.layer == layer;
	}

	@Override
	public int hashCode() {
		return ((x0 * 31 + y0) * 31 + x1) * 31 + y1;
	}

	@Override
	public String toString() {
		return "[" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "] (layer " + layer + ")";
	}
}
