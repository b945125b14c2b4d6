package org.fijisam.ij;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fijisam.core.UnsupportedImageException;

/**
 * Checks of a TIFF's header that ImageJ's reader does not make before it reads pixels. ImageJ
 * 1.x (1.54) reads a truncated TIFF without complaint, filling the missing part with zeros, so
 * a file cut short by an interrupted copy would be segmented as a blank image; and it answers
 * tiled, BigTIFF and 64-bit TIFFs with no image at all, which the user would see as "damaged".
 * This walks the chain of image directories (IFDs), reading only the few tags that matter, and
 * names the problem instead.
 */
final class TiffCheck {

	/** What to do about a TIFF variant ImageJ cannot read. */
	static final String RESAVE = "; re-save it as a plain TIFF (e.g. in Fiji with Bio-Formats) and try again.";

	private static final int IMAGE_DESCRIPTION = 270, STRIP_OFFSETS = 273, STRIP_BYTE_COUNTS = 279,
		BITS_PER_SAMPLE = 258, COMPRESSION = 259, SAMPLE_FORMAT = 339;
	private static final Pattern IMAGES = Pattern.compile("(?m)^images=(\\d+)$");

	private TiffCheck() {}

	/** Whether the first bytes are a TIFF's byte-order mark. */
	static boolean isTiff(byte[] head, int n) {
		return n >= 2 && (head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M');
	}

	/**
	 * Throws if the TIFF is truncated or of a variant ImageJ cannot read.
	 *
	 * @param in the open file, positioned anywhere
	 */
	static void check(Path file, SeekableByteChannel in) throws UnsupportedImageException, IOException {
		Reader r = new Reader(file, in);
		ByteBuffer header = r.read(0, 8);
		int magic = header.getShort(2) & 0xffff;
		if (magic == 43) throw variant(file, "BigTIFF (the TIFF flavour for files over 4 GB); ImageJ reads only " +
			"classic TIFFs");
		if (magic != 42) throw new UnsupportedImageException("The image file " + file + " is damaged: it starts " +
			"like a TIFF but its header is not valid.");
		long ifd = header.getInt(4) & 0xffffffffL;
		if (ifd == 0) throw new UnsupportedImageException("The image file " + file + " is damaged: its TIFF header " +
			"points to no image.");
		Set<Long> seen = new HashSet<>();
		long end = 8; // bytes the file must hold
		int ifds = 0;
		long firstStrip = -1, firstPlaneBytes = 0, imageJPlanes = 0;
		while (ifd != 0) {
			if (!seen.add(ifd)) throw new UnsupportedImageException("The image file " + file + " is damaged: its " +
				"list of images loops back on itself.");
			int n = r.read(ifd, 2).getShort(0) & 0xffff;
			ByteBuffer entries = r.read(ifd + 2, n * 12L + 4);
			long[] offsets = null, counts = null;
			int compression = 1;
			for (int i = 0; i < n; i++) {
				int at = i * 12, tag = entries.getShort(at) & 0xffff;
				if (tag >= 322 && tag <= 325) throw variant(file, "tiled TIFF, ImageJ reads only strip TIFFs");
				if (tag == BITS_PER_SAMPLE) checkBits(file, r, entries, at, find(entries, n, SAMPLE_FORMAT));
				else if (tag == STRIP_OFFSETS) offsets = r.values(entries, at);
				else if (tag == STRIP_BYTE_COUNTS) counts = r.values(entries, at);
				else if (tag == COMPRESSION) compression = (int) r.values(entries, at)[0];
				else if (tag == IMAGE_DESCRIPTION && ifds == 0) imageJPlanes = imageJPlanes(r, entries, at);
			}
			if (offsets != null && counts != null) {
				long planeBytes = 0;
				for (int i = 0; i < Math.min(offsets.length, counts.length); i++) {
					end = Math.max(end, offsets[i] + counts[i]);
					planeBytes += counts[i];
				}
				if (ifds == 0 && compression == 1 && offsets.length > 0) {
					firstStrip = offsets[0];
					firstPlaneBytes = planeBytes;
				}
			}
			ifds++;
			ifd = entries.getInt(n * 12) & 0xffffffffL;
		}
		// ImageJ's own stacks may hold one directory for many planes (always above 4 GB): ImageJ then
		// reads "images=N" planes one after another from the first strip on.
		if (imageJPlanes > ifds && firstStrip >= 0) end = Math.max(end, firstStrip + imageJPlanes * firstPlaneBytes);
		if (end > r.size) throw truncated(file, end, r.size);
	}

	private static void checkBits(Path file, Reader r, ByteBuffer entries, int at, int formatAt)
		throws UnsupportedImageException, IOException
	{
		long[] bits = r.values(entries, at);
		long format = formatAt < 0 ? 1 : r.values(entries, formatAt)[0];
		for (long b : bits) {
			if (b == 64) throw variant(file, format == 3 ? "64-bit floating-point samples" : format == 2
				? "64-bit signed integer samples" : "64-bit integer samples", "ImageJ reads 8-, 16- and 32-bit " +
					"samples only; convert it to 32-bit (e.g. in Fiji with Bio-Formats, then Image > Type > 32-bit) " +
					"and save it as a TIFF, then try again.");
		}
	}

	/** The number of planes an ImageJ-written TIFF declares in its description, or 0. */
	private static long imageJPlanes(Reader r, ByteBuffer entries, int at) throws IOException,
		UnsupportedImageException
	{
		int type = entries.getShort(at + 2) & 0xffff;
		long count = entries.getInt(at + 4) & 0xffffffffL;
		if (type != 2 || count <= 4) return 0;
		ByteBuffer text = r.read(entries.getInt(at + 8) & 0xffffffffL, Math.min(count, 4096));
		byte[] bytes = new byte[text.remaining()];
		text.get(bytes);
		String s = new String(bytes, StandardCharsets.ISO_8859_1);
		if (!s.startsWith("ImageJ=")) return 0;
		Matcher m = IMAGES.matcher(s);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

	private static int find(ByteBuffer entries, int n, int tag) {
		for (int i = 0; i < n; i++)
			if ((entries.getShort(i * 12) & 0xffff) == tag) return i * 12;
		return -1;
	}

	private static UnsupportedImageException variant(Path file, String what) {
		return new UnsupportedImageException("Cannot read " + file + ": unsupported TIFF variant: " + what + RESAVE);
	}

	private static UnsupportedImageException variant(Path file, String what, String todo) {
		return new UnsupportedImageException("Cannot read " + file + ": unsupported TIFF variant: " + what + "; " +
			todo);
	}

	static UnsupportedImageException truncated(Path file, long expected, long size) {
		return new UnsupportedImageException(String.format(Locale.ROOT, "The image file %s is truncated: its header " +
			"describes %,d bytes but the file has only %,d bytes. The file is damaged, probably by an interrupted " +
			"copy or save; copy or save it again.", file, expected, size));
	}

	/** Positioned reads that turn a read past the end into the truncation error. */
	private static final class Reader {
		final Path file;
		final SeekableByteChannel in;
		final long size;
		ByteOrder order = ByteOrder.LITTLE_ENDIAN;

		Reader(Path file, SeekableByteChannel in) throws IOException {
			this.file = file;
			this.in = in;
			this.size = in.size();
			ByteBuffer mark = ByteBuffer.allocate(2);
			in.position(0);
			while (mark.hasRemaining() && in.read(mark) >= 0) {}
			if (mark.position() == 2 && mark.get(0) == 'M') order = ByteOrder.BIG_ENDIAN;
		}

		ByteBuffer read(long at, long n) throws IOException, UnsupportedImageException {
			if (at < 0 || at + n > size) throw truncated(file, at + n, size);
			if (n > Integer.MAX_VALUE - 8) throw new UnsupportedImageException("The image file " + file + " is " +
				"damaged: its TIFF header is not valid.");
			ByteBuffer b = ByteBuffer.allocate((int) n).order(order);
			in.position(at);
			while (b.hasRemaining())
				if (in.read(b) < 0) throw truncated(file, at + n, size);
			b.flip();
			return b;
		}

		/** The values of a SHORT or LONG entry (others: empty). */
		long[] values(ByteBuffer entries, int at) throws IOException, UnsupportedImageException {
			int type = entries.getShort(at + 2) & 0xffff;
			long count = entries.getInt(at + 4) & 0xffffffffL;
			int size = type == 3 ? 2 : type == 4 ? 4 : 0;
			if (size == 0 || count == 0) return new long[] { 0 };
			ByteBuffer b;
			if (count * size <= 4) b = entries.duplicate().order(order).position(at + 8).slice().order(order);
			else b = read(entries.getInt(at + 8) & 0xffffffffL, count * size);
			long[] v = new long[(int) count];
			for (int i = 0; i < v.length; i++)
				v[i] = size == 2 ? b.getShort(i * 2) & 0xffff : b.getInt(i * 4) & 0xffffffffL;
			return v;
		}
	}
}
