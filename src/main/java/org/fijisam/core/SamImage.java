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
