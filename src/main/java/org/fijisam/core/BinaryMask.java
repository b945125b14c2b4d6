package org.fijisam.core;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;

/** A binary mask at original resolution: one byte per pixel, 1 inside, 0 outside. */
public final class BinaryMask {

	private final int width;
	private final int height;
	private final byte[] data;

	public BinaryMask(int width, int height, byte[] data) {
		if (data.length != width * height) throw new IllegalArgumentException("size mismatch");
		this.width = width;
		this.height = height;
		this.data = data;
	}

	public int width() { return width; }

	public int height() { return height; }

	/** Row-major bytes, x fastest; shared, not copied. */
	public byte[] data() { return data; }

	public boolean get(int x, int y) {
		return data[y * width + x] != 0;
	}

	public int area() {
		int n = 0;
		for (byte b : data)
			n += b;
		return n;
	}

	/** Bounding box {x, y, width, height} of the set pixels, or null when empty. */
	public int[] boundingBox() {
		int x0 = width, y0 = height, x1 = -1, y1 = -1;
		for (int y = 0; y < height; y++) {
			int row = y * width;
			for (int x = 0; x < width; x++) {
				if (data[row + x] == 0) continue;
				if (x < x0) x0 = x;
				if (x > x1) x1 = x;
				if (y < y0) y0 = y;
				y1 = y;
			}
		}
		return x1 < 0 ? null : new int[] { x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
	}

	/** Intersection over union with another mask of the same size. */
	public double iou(BinaryMask other) {
		long inter = 0, union = 0;
		byte[] o = other.data;
		for (int i = 0; i < data.length; i++) {
			inter += data[i] & o[i];
			union += data[i] | o[i];
		}
		return union == 0 ? 0 : inter / (double) union;
	}

	/**
	 * Intersection over union with {@code other} moved by (dx, dy) whole pixels (what falls off
	 * the image is lost, as it would be for the object itself).
	 */
	public double iouMoved(BinaryMask other, int dx, int dy) {
		if (dx == 0 && dy == 0) return iou(other);
		long inter = 0, movedArea = 0;
		byte[] o = other.data;
		for (int y = 0; y < height; y++) {
			int sy = y - dy;
			if (sy < 0 || sy >= height) continue;
			for (int x = 0; x < width; x++) {
				int sx = x - dx;
				if (sx < 0 || sx >= width || o[sy * width + sx] == 0) continue;
				movedArea++;
				inter += data[y * width + x];
			}
		}
		long union = area() + movedArea - inter;
		return union == 0 ? 0 : inter / (double) union;
	}

	/** An imglib2 view over the same bytes (no copy). */
	public ArrayImg<UnsignedByteType, ByteArray> asImg() {
		return ArrayImgs.unsignedBytes(data, width, height);
	}
}
