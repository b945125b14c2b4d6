package org.fijisam.core;

/**
 * One 2D plane ready for a SAM encoder: three channels (R, G, B) at the original resolution,
 * already stretched to 0..255 and free of non-finite values. Built by {@link SamImages}.
 */
public final class SamImage {

	private final int width;
	private final int height;
	private final float[][] rgb;
	private long contentHash;
	private boolean hashed;

	SamImage(int width, int height, float[][] rgb) {
		this.width = width;
		this.height = height;
		this.rgb = rgb;
	}

	public int width() { return width; }

	public int height() { return height; }

	/** Channel c (0 = R, 1 = G, 2 = B), row-major, x fastest; do not modify. */
	public float[] channel(int c) {
		return rgb[c];
	}

	/** The pixels of a window, copied (channels shared here stay shared); this image for a whole window. */
	public SamImage crop(ImageWindow w) {
		if (w.x == 0 && w.y == 0 && w.width == width && w.height == height) return this;
		if (w.x + w.width > width || w.y + w.height > height) throw new IllegalArgumentException(
			"the " + w + " is outside the " + width + "x" + height + " image");
		float[][] out = new float[3][];
		for (int c = 0; c < 3; c++) {
			int shared = -1;
			for (int p = 0; p < c; p++)
				if (rgb[p] == rgb[c]) shared = p;
			if (shared >= 0) {
				out[c] = out[shared];
				continue;
			}
			float[] dst = new float[w.width * w.height];
			for (int y = 0; y < w.height; y++)
				System.arraycopy(rgb[c], (w.y + y) * width + w.x, dst, y * w.width, w.width);
			out[c] = dst;
		}
		return new SamImage(w.width, w.height, out);
	}

	/**
	 * A 64-bit hash of the normalised pixels: equal images (same data, same normalisation)
	 * give equal hashes, which keys the embedding cache.
	 */
	public synchronized long contentHash() {
		if (!hashed) {
			long h = 0xcbf29ce484222325L ^ (width * 31L + height);
			for (float[] channel : rgb) {
				for (float v : channel) {
					h ^= Float.floatToIntBits(v);
					h *= 0x100000001b3L;
					h ^= h >>> 29;
				}
			}
			contentHash = h;
			hashed = true;
		}
		return contentHash;
	}
}
