package org.fijisam.core.amg;

import java.util.Arrays;

/**
 * COCO run-length encoding, as in SA-1B annotations and pycocotools: pixels are visited
 * column by column (column-major, y fastest), counts alternate starting with a run of zeros
 * (0 when the first pixel is set). {@link #toString(int[])} gives the compact string form
 * pycocotools reads ("counts" as a string), {@link #fromString(String)} reads it back.
 */
public final class CocoRle {

	private CocoRle() {}

	/** Counts of a mask placed in a {@code width x height} frame. */
	public static int[] encode(LocalMask mask, int width, int height) {
		Runs runs = new Runs();
		int mx0 = mask.x(), mx1 = mask.x() + mask.width();
		for (int x = 0; x < width; x++) {
			if (x < mx0 || x >= mx1) {
				runs.add(false, height);
				continue;
			}
			for (int y = 0; y < height; y++)
				runs.add(mask.contains(x, y), 1);
		}
		return runs.finish();
	}

	/** Counts of a row-major mask (non-zero = set). */
	public static int[] encode(byte[] rowMajor, int width, int height) {
		Runs runs = new Runs();
		for (int x = 0; x < width; x++)
			for (int y = 0; y < height; y++)
				runs.add(rowMajor[y * width + x] != 0, 1);
		return runs.finish();
	}

	/** The row-major mask (1 = set) of counts for a {@code width x height} frame. */
	public static byte[] decode(int[] counts, int width, int height) {
		byte[] out = new byte[width * height];
		long pos = 0;
		boolean set = false;
		for (int c : counts) {
			if (c < 0 || pos + c > (long) width * height) throw new IllegalArgumentException(
				"RLE counts do not fit a " + width + "x" + height + " mask");
			if (set) for (long p = pos; p < pos + c; p++) {
				int x = (int) (p / height), y = (int) (p % height);
				out[y * width + x] = 1;
			}
			pos += c;
			set = !set;
		}
		if (pos != (long) width * height) throw new IllegalArgumentException("RLE counts cover " + pos +
			" pixels, not " + width + "x" + height);
		return out;
	}

	/**
	 * The compressed string form of pycocotools (rleToString): each count, after the first two
	 * as a difference to the count two places back, in 5-bit groups with a continuation bit,
	 * offset by 48 into printable ASCII.
	 */
	public static String toString(int[] counts) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < counts.length; i++) {
			long x = counts[i];
			if (i > 2) x -= counts[i - 2];
			boolean more = true;
			while (more) {
				long c = x & 0x1f;
				x >>= 5;
				more = (c & 0x10) != 0 ? x != -1 : x != 0;
				if (more) c |= 0x20;
				sb.append((char) (c + 48));
			}
		}
		return sb.toString();
	}

	/** Counts from the compressed string form (pycocotools' rleFrString). */
	public static int[] fromString(String s) {
		int[] counts = new int[16];
		int m = 0, p = 0;
		while (p < s.length()) {
			long x = 0;
			int k = 0;
			boolean more = true;
			while (more) {
				if (p >= s.length()) throw new IllegalArgumentException("truncated RLE string");
				long c = s.charAt(p) - 48;
				x |= (c & 0x1f) << (5 * k);
				more = (c & 0x20) != 0;
				p++;
				k++;
				if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
			}
			if (m > 2) x += counts[m - 2];
			if (m == counts.length) counts = Arrays.copyOf(counts, m * 2);
			counts[m++] = (int) x;
		}
		return Arrays.copyOf(counts, m);
	}

	private static final class Runs {
		int[] counts = new int[16];
		int n = 1; // counts[0] is the first run of zeros, possibly empty
		boolean current;

		void add(boolean value, int length) {
			if (value != current) {
				if (n == counts.length) counts = Arrays.copyOf(counts, n * 2);
				n++;
				current = value;
			}
			counts[n - 1] += length;
		}

		int[] finish() {
			return Arrays.copyOf(counts, n);
		}
	}
}
