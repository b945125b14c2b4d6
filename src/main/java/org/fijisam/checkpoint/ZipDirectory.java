package org.fijisam.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each entry's bytes start in a zip file. java.util.zip does not expose that, and it
 * is what lets PyTorch's uncompressed storages be memory-mapped in place instead of being
 * copied to the heap. Reads the central directory (zip64 included: checkpoints over 4 GB)
 * and, per entry, its local header to skip the name and extra field.
 */
final class ZipDirectory {
	static final int STORED = 0;

	static final class Entry {
		final String name;
		final int method;
		final long compressedSize, size, localHeader;

		Entry(String name, int method, long compressedSize, long size, long localHeader) {
			this.name = name;
			this.method = method;
			this.compressedSize = compressedSize;
			this.size = size;
			this.localHeader = localHeader;
		}
	}

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	Entry get(String name) {
		return entries.get(name);
	}

	static ZipDirectory read(FileChannel ch, String file) throws IOException, CheckpointException {
		long fileSize = ch.size();
		int tail = (int) Math.min(fileSize, 22 + 65535);
		ByteBuffer t = readAt(ch, fileSize - tail, tail);
		int eocd = -1;
		for (int i = tail - 22; i >= 0; i--)
			if (t.getInt(i) == 0x06054b50) {
				eocd = i;
				break;
			}
		if (eocd < 0) throw corrupt(file, "no end of central directory");
		long count = t.getShort(eocd + 10) & 0xffff;
		long cdSize = t.getInt(eocd + 12) & 0xffffffffL;
		long cdOffset = t.getInt(eocd + 16) & 0xffffffffL;
		if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
			// zip64: the locator sits just before the classic record and points at the zip64 record
			long locator = fileSize - tail + eocd - 20;
			ByteBuffer l = readAt(ch, locator, 20);
			if (l.getInt(0) != 0x07064b50) throw corrupt(file, "no zip64 locator");
			ByteBuffer z = readAt(ch, l.getLong(8), 56);
			if (z.getInt(0) != 0x06064b50) throw corrupt(file, "no zip64 end record");
			count = z.getLong(32);
			cdSize = z.getLong(40);
			cdOffset = z.getLong(48);
		}
		if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > fileSize || cdSize > Integer.MAX_VALUE)
			throw corrupt(file, "a central directory outside the file");
		ByteBuffer cd = readAt(ch, cdOffset, (int) cdSize);
		ZipDirectory dir = new ZipDirectory();
		int p = 0;
		for (long n = 0; n < count; n++) {
			if (cd.getInt(p) != 0x02014b50) throw corrupt(file, "a damaged central directory");
			int method = cd.getShort(p + 10) & 0xffff;
			long csize = cd.getInt(p + 20) & 0xffffffffL;
			long size = cd.getInt(p + 24) & 0xffffffffL;
			int nameLen = cd.getShort(p + 28) & 0xffff;
			int extraLen = cd.getShort(p + 30) & 0xffff;
			int commentLen = cd.getShort(p + 32) & 0xffff;
			long local = cd.getInt(p + 42) & 0xffffffffL;
			byte[] nb = new byte[nameLen];
			cd.position(p + 46);
			cd.get(nb);
			// zip64 extra field (id 1): the 64-bit values of whichever fields are saturated, in this order
			int e = p + 46 + nameLen, end = e + extraLen;
			while (e + 4 <= end) {
				int id = cd.getShort(e) & 0xffff, len = cd.getShort(e + 2) & 0xffff;
				if (id == 1) {
					int q = e + 4;
					if (size == 0xffffffffL) {
						size = cd.getLong(q);
						q += 8;
					}
					if (csize == 0xffffffffL) {
						csize = cd.getLong(q);
						q += 8;
					}
					if (local == 0xffffffffL) local = cd.getLong(q);
				}
				e += 4 + len;
			}
			String name = new String(nb, StandardCharsets.UTF_8);
			dir.entries.put(name, new Entry(name, method, csize, size, local));
			p = end + commentLen;
		}
		return dir;
	}

	/** Offset of the entry's first data byte: its local header is 30 bytes plus name and extra. */
	static long dataOffset(FileChannel ch, Entry entry, String file) throws IOException, CheckpointException {
		ByteBuffer h = readAt(ch, entry.localHeader, 30);
		if (h.getInt(0) != 0x04034b50) throw corrupt(file, "a damaged local header for " + entry.name);
		long start = entry.localHeader + 30 + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
		if (start + entry.compressedSize > ch.size()) throw corrupt(file, "entry " + entry.name + " past the end");
		return start;
	}

	private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException, CheckpointException {
		if (pos < 0 || len < 0 || pos + len > ch.size()) throw new CheckpointException(
			"The zip structure points outside the file; the file is truncated. Download it again.");
		ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
		while (b.hasRemaining())
			if (ch.read(b, pos + b.position()) < 0) throw new IOException("unexpected end of file");
		b.flip();
		return b;
	}

	private static CheckpointException corrupt(String file, String what) {
		return new CheckpointException(file + " is not a readable zip file (" + what +
			"); it may be truncated. Download it again.");
	}
}
