package org.fijisam.ij;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made one-image TIFFs, byte by byte, for the variants ImageJ's writer never produces
 * (tiles, 64-bit samples, BigTIFF, big-endian). One directory at offset 8 (16 for BigTIFF), the
 * pixel data at offset 512, all tag values inline.
 */
final class TiffBytes {

	static final int DATA = 512;

	private final List<int[]> entries = new ArrayList<>();
	private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
	private boolean big;

	/** An uncompressed grey strip TIFF, one strip, {@code bits} per sample of sample format {@code format} (1 uint, 2 int, 3 float). */
	static TiffBytes strips(int width, int height, int bits, int format, int dataBytes) {
		TiffBytes t = new TiffBytes();
		t.tag(256, width).tag(257, height).tag(258, bits).tag(259, 1).tag(262, 1).tag(273, DATA).tag(277, 1)
			.tag(278, height).tag(279, dataBytes).tag(339, format);
		return t;
	}

	/** The same image as one tile of {@code tile} x {@code tile} pixels. */
	static TiffBytes tiled(int width, int height, int tile, int dataBytes) {
		TiffBytes t = new TiffBytes();
		t.tag(256, width).tag(257, height).tag(258, 8).tag(259, 1).tag(262, 1).tag(277, 1).tag(322, tile).tag(323,
			tile).tag(324, DATA).tag(325, dataBytes);
		return t;
	}

	TiffBytes tag(int tag, int value) {
		entries.add(new int[] { tag, value });
		return this;
	}

	TiffBytes bigEndian() {
		order = ByteOrder.BIG_ENDIAN;
		return this;
	}

	TiffBytes bigTiff() {
		big = true;
		return this;
	}

	/** The file: header, directory (LONG values), padding, then {@code data}. */
	byte[] bytes(byte[] data) {
		ByteBuffer b = ByteBuffer.allocate(DATA + data.length).order(order);
		b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M').put(b.get(0));
		if (big) {
			b.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16).putLong(entries.size());
			for (int[] e : entries)
				b.putShort((short) e[0]).putShort((short) 16).putLong(1).putLong(e[1]);
			b.putLong(0);
		}
		else {
			b.putShort((short) 42).putInt(8).putShort((short) entries.size());
			for (int[] e : entries)
				b.putShort((short) e[0]).putShort((short) 4).putInt(1).putInt(e[1]);
			b.putInt(0);
		}
		b.position(DATA);
		b.put(data);
		return b.array();
	}
}
