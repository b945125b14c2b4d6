package org.fijisam.core.amg;

import org.fijisam.core.BinaryMask;

/**
 * A binary mask stored over its bounding box only, placed in a larger frame (the image).
 * Automatic segmentation keeps hundreds of masks per image; full-frame bytes for each would
 * cost W * H bytes apiece, a bounding-box window costs only the object's size. Always tight:
 * the window is the bounding box of the set pixels, so a LocalMask is never empty.
 */
public final class LocalMask implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	private final int x;
	private final int y;
	private final int width;
	private final int height;
	private final byte[] bits;
	private final int area;

	private LocalMask(int x, int y, int width, int height, byte[] bits, int area) {
		this.x = x;
		this.y = y;
		this.width = width;
		this.height = height;
		this.bits = bits;
		this.area = area;
	}

	/**
	 * The set pixels of a {@code w x h} window (row-major, non-zero = set) whose top-left
	 * pixel is at ({@code offX}, {@code offY}) in the frame, trimmed to their bounding box;
	 * null when no pixel is set.
	 */
	public static LocalMask of(byte[] window, int w, int h, int offX, int offY) {
		int x0 = w, y0 = h, x1 = -1, y1 = -1;
		for (int yy = 0; yy < h; yy++) {
			int row = yy * w;
			for (int xx = 0; xx < w; xx++) {
				if (window[row + xx] == 0) continue;
				if (xx < x0) x0 = xx;
				if (xx > x1) x1 = xx;
				if (yy < y0) y0 = yy;
				y1 = yy;
			}
		}
		if (x1 < 0) return null;
		int tw = x1 - x0 + 1, th = y1 - y0 + 1;
		byte[] out = new byte[tw * th];
		int area = 0;
		for (int yy = 0; yy < th; yy++) {
			int src = (y0 + yy) * w + x0, dst = yy * tw;
			for (int xx = 0; xx < tw; xx++) {
				byte b = window[src + xx] != 0 ? (byte) 1 : 0;
				out[dst + xx] = b;
				area += b;
			}
		}
		return new LocalMask(offX + x0, offY + y0, tw, th, out, area);
	}

	/** The set pixels of a full-frame mask; null when it is empty. */
	public static LocalMask of(BinaryMask mask) {
		return of(mask.data(), mask.width(), mask.height(), 0, 0);
	}

	/** Left column of the bounding box in the frame. */
	public int x() { return x; }

	/** Top row of the bounding box in the frame. */
	public int y() { return y; }

	public int width() { return width; }

	public int height() { return height; }

	/** Window bytes (1 = set), row-major over the bounding box; do not modify. */
	public byte[] bits() { return bits; }

	public int area() { return area; }

	/** Whether frame pixel (fx, fy) is set. */
	public boolean contains(int fx, int fy) {
		int lx = fx - x, ly = fy - y;
		return lx >= 0 && ly >= 0 && lx < width && ly < height && bits[ly * width + lx] != 0;
	}

	/** {x, y, width, height} of the set pixels (COCO bbox convention). */
	public int[] xywh() {
		return new int[] { x, y, width, height };
	}

	/**
	 * The box as SAM's mask-to-box gives it: {x0, y0, x1, y1} with x1, y1 the last set column
	 * and row (inclusive). NMS and the crop-edge filter use this form to match the reference.
	 */
	public double[] samBox() {
		return new double[] { x, y, x + width - 1, y + height - 1 };
	}

	/** The same mask moved by (dx, dy) in the frame (shares the bytes). */
	public LocalMask translate(int dx, int dy) {
		return new LocalMask(x + dx, y + dy, width, height, bits, area);
	}

	/** Number of frame pixels set in both masks. */
	public long intersection(LocalMask o) {
		int ix0 = Math.max(x, o.x), iy0 = Math.max(y, o.y);
		int ix1 = Math.min(x + width, o.x + o.width), iy1 = Math.min(y + height, o.y + o.height);
		long n = 0;
		for (int fy = iy0; fy < iy1; fy++) {
			int a = (fy - y) * width - x, b = (fy - o.y) * o.width - o.x;
			for (int fx = ix0; fx < ix1; fx++)
				n += bits[a + fx] & o.bits[b + fx];
		}
		return n;
	}

	public double iou(LocalMask o) {
		long inter = intersection(o);
		return inter / (double) (area + o.area - inter);
	}

	/** Pixels set in this mask or the other. */
	public LocalMask union(LocalMask o) {
		int ux0 = Math.min(x, o.x), uy0 = Math.min(y, o.y);
		int ux1 = Math.max(x + width, o.x + o.width), uy1 = Math.max(y + height, o.y + o.height);
		int w = ux1 - ux0, h = uy1 - uy0;
		byte[] out = new byte[w * h];
		paintInto(out, w, ux0, uy0);
		o.paintInto(out, w, ux0, uy0);
		return of(out, w, h, ux0, uy0);
	}

	/** Sets this mask's pixels in a window of row length {@code stride} whose origin is (ox, oy). */
	void paintInto(byte[] window, int stride, int ox, int oy) {
		for (int ly = 0; ly < height; ly++) {
			int dst = (y + ly - oy) * stride + (x - ox), src = ly * width;
			for (int lx = 0; lx < width; lx++)
				if (bits[src + lx] != 0) window[dst + lx] = 1;
		}
	}

	/** The mask as a full {@code frameWidth x frameHeight} BinaryMask. */
	public BinaryMask toBinaryMask(int frameWidth, int frameHeight) {
		byte[] out = new byte[frameWidth * frameHeight];
		paintInto(out, frameWidth, 0, 0);
		return new BinaryMask(frameWidth, frameHeight, out);
	}

	@Override
	public String toString() {
		return "LocalMask[" + x + ", " + y + ", " + width + "x" + height + ", area " + area + "]";
	}
}
