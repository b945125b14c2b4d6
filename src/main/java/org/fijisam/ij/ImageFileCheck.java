package org.fijisam.ij;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

import ij.io.TiffDecoder;

import org.fijisam.core.FileProblems;
import org.fijisam.core.UnsupportedImageException;

/**
 * What ImageJ's opener does not say: whether the image file exists, is a folder, can be read,
 * is complete (ImageJ fills a truncated TIFF or PNG with zeros without a word), and, when ImageJ
 * returns no image, why. Every check reads the file through NIO, so it also works for names the
 * system's character set cannot spell.
 */
final class ImageFileCheck {

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 };

	private ImageFileCheck() {}

	/** Throws, with the reason in words, unless {@code file} is a complete image file ImageJ may read. */
	static void check(Path file) throws UnsupportedImageException {
		BasicFileAttributes a;
		try {
			a = Files.readAttributes(file, BasicFileAttributes.class);
		}
		catch (NoSuchFileException e) {
			throw new UnsupportedImageException("The image file " + file + " does not exist. Check the spelling of " +
				"the path.");
		}
		catch (IOException e) {
			throw new UnsupportedImageException(FileProblems.describe("read the image", file, e));
		}
		if (a.isDirectory()) throw new UnsupportedImageException(file + " is a folder, not an image file. Give " +
			"the path of an image file.");
		if (!a.isRegularFile()) throw new UnsupportedImageException(file + " is not a regular file (a device or a " +
			"pipe?). Give the path of an image file.");
		if (a.size() == 0) throw new UnsupportedImageException("The image file " + file + " is empty (0 bytes).");
		try (SeekableByteChannel in = Files.newByteChannel(file)) {
			byte[] head = new byte[16];
			int n = readFully(in, 0, head);
			if (TiffCheck.isTiff(head, n)) TiffCheck.check(file, in);
			else if (startsWith(head, n, PNG)) checkPng(file, in);
			else if (isJpeg(head, n)) checkJpeg(file, in);
		}
		catch (IOException e) {
			throw new UnsupportedImageException(FileProblems.describe("read the image", file, e));
		}
		// ImageJ opens files by name; a name this system's character set cannot spell reaches it mangled.
		try {
			Path.of(file.toAbsolutePath().toString());
		}
		catch (InvalidPathException e) {
			throw new UnsupportedImageException(FileProblems.describe("read the image", file, e));
		}
	}

	/** Why ImageJ returned no image for a file that passed {@link #check}, as precisely as known. */
	static String whyUnreadable(Path file) {
		String prefix = "Cannot read " + file + " as an image: ";
		byte[] head = new byte[16];
		int n;
		try (SeekableByteChannel in = Files.newByteChannel(file)) {
			n = readFully(in, 0, head);
			if (isJpeg(head, n)) {
				String why = jpegVariant(in);
				if (why != null) return prefix + why;
			}
		}
		catch (IOException e) {
			return FileProblems.describe("read the image", file, e);
		}
		if (TiffCheck.isTiff(head, n)) {
			try {
				Path dir = file.toAbsolutePath().getParent();
				new TiffDecoder(dir + java.io.File.separator, file.getFileName().toString()).getTiffInfo();
			}
			catch (IOException | RuntimeException e) {
				// ImageJ's own words, e.g. "ImageJ cannot open 16-bit float TIFFs".
				String why = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
				if (!why.isEmpty() && !(e instanceof RuntimeException)) return prefix + "ImageJ says: " + why +
					(why.endsWith(".") ? "" : ".") + " Re-save it as a plain TIFF (e.g. in Fiji with Bio-Formats) " +
					"and try again.";
			}
			return prefix + "it is a damaged TIFF or a TIFF variant ImageJ does not read" + TiffCheck.RESAVE;
		}
		if (startsWith(head, n, PNG)) return prefix + "it is a damaged PNG or a PNG variant ImageJ does not read. " +
			"Re-save it (e.g. as TIFF) with another program and try again.";
		if (isJpeg(head, n)) return prefix + "it is a damaged JPEG or a JPEG variant ImageJ does not read. Re-save " +
			"it (e.g. as TIFF) with another program and try again.";
		if (looksLikeText(head, n)) return prefix + "it contains text, not an image (TIFF, PNG, JPEG, ...).";
		return prefix + "it is damaged or not a format ImageJ opens (TIFF, PNG, JPEG, ...).";
	}

	/** Walks the PNG's chunks: each must lie within the file, up to the end chunk (IEND). */
	private static void checkPng(Path file, SeekableByteChannel in) throws IOException, UnsupportedImageException {
		long size = in.size(), pos = 8;
		byte[] chunk = new byte[8];
		while (true) {
			if (readFully(in, pos, chunk) < 8) throw TiffCheck.truncated(file, pos + 12, size);
			long length = ByteBuffer.wrap(chunk).getInt(0) & 0xffffffffL;
			long end = pos + 12 + length;
			if (end > size) throw TiffCheck.truncated(file, end, size);
			if (chunk[4] == 'I' && chunk[5] == 'E' && chunk[6] == 'N' && chunk[7] == 'D') return;
			pos = end;
		}
	}

	/**
	 * A JPEG's compressed data must end with the end-of-image marker (FF D9): inside the data a
	 * byte FF is always followed by 00 or a restart marker, so its absence after the first scan
	 * means the file was cut. (Java's decoder fills the missing part with grey, without a word.)
	 */
	private static void checkJpeg(Path file, SeekableByteChannel in) throws IOException, UnsupportedImageException {
		long size = in.size();
		byte[] tail = new byte[2];
		if (readFully(in, size - 2, tail) == 2 && (tail[0] & 0xff) == 0xff && (tail[1] & 0xff) == 0xd9) return;
		long scan = jpegScanStart(in);
		if (scan < 0) return; // no scan found: the decoder explains
		byte[] buf = new byte[1 << 16];
		boolean ff = false;
		for (long pos = scan; pos < size;) {
			int n = readFully(in, pos, buf);
			if (n <= 0) break;
			for (int i = 0; i < n; i++) {
				int b = buf[i] & 0xff;
				if (ff && b == 0xd9) return;
				ff = b == 0xff;
			}
			pos += n;
		}
		throw new UnsupportedImageException(String.format(Locale.ROOT, "The image file %s is truncated: its JPEG " +
			"data stops without the end-of-image marker (the file has %,d bytes). The file is damaged, probably by " +
			"an interrupted copy or save; copy or save it again.", file, size));
	}

	/** The offset of the first scan's data, or -1. */
	private static long jpegScanStart(SeekableByteChannel in) throws IOException {
		long pos = 2, size = in.size();
		byte[] m = new byte[4];
		while (pos + 4 <= size) {
			if (readFully(in, pos, m) < 4 || (m[0] & 0xff) != 0xff) return -1;
			int marker = m[1] & 0xff;
			if (marker == 0xff) {
				pos++;
				continue;
			}
			int length = ((m[2] & 0xff) << 8) | (m[3] & 0xff);
			if (marker == 0xda) return pos + 2 + length;
			pos += 2 + length;
		}
		return -1;
	}

	/** The reason Java cannot decode a JPEG, where its frame header tells: CMYK, 12-bit, lossless, arithmetic. */
	private static String jpegVariant(SeekableByteChannel in) throws IOException {
		long pos = 2, size = in.size();
		byte[] m = new byte[10];
		while (pos + 4 <= size) {
			if (readFully(in, pos, m) < 4 || (m[0] & 0xff) != 0xff) return null;
			int marker = m[1] & 0xff;
			if (marker == 0xff) {
				pos++;
				continue;
			}
			int length = ((m[2] & 0xff) << 8) | (m[3] & 0xff);
			boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
			if (frame) {
				String todo = " Convert it to an 8-bit RGB or grey JPEG, or better a TIFF, with another program " +
					"and try again.";
				if (marker == 0xc3 || marker == 0xc7 || marker == 0xcb || marker == 0xcf) return "it is a lossless " +
					"JPEG, which ImageJ does not decode." + todo;
				if (marker >= 0xc9) return "it is an arithmetic-coded JPEG, which ImageJ does not decode." + todo;
				if ((m[4] & 0xff) != 8) return "it is a " + (m[4] & 0xff) + "-bit JPEG; ImageJ decodes 8-bit JPEGs " +
					"only." + todo;
				if ((m[9] & 0xff) == 4) return "it is a CMYK JPEG, which ImageJ does not decode." + todo;
				return null;
			}
			if (marker == 0xda) return null;
			pos += 2 + length;
		}
		return null;
	}

	private static boolean isJpeg(byte[] head, int n) {
		return n >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
	}

	private static boolean startsWith(byte[] head, int n, byte[] sig) {
		if (n < sig.length) return false;
		for (int i = 0; i < sig.length; i++)
			if (head[i] != sig[i]) return false;
		return true;
	}

	private static boolean looksLikeText(byte[] head, int n) {
		for (int i = 0; i < n; i++) {
			int b = head[i] & 0xff;
			if (b < 9 || b > 13 && b < 32 || b == 127) return false;
		}
		return n > 0;
	}

	/** Reads up to {@code b.length} bytes at {@code at}; returns how many there were. */
	private static int readFully(SeekableByteChannel in, long at, byte[] b) throws IOException {
		if (at < 0) return 0;
		in.position(at);
		ByteBuffer buf = ByteBuffer.wrap(b);
		while (buf.hasRemaining())
			if (in.read(buf) < 0) break;
		return buf.position();
	}
}
