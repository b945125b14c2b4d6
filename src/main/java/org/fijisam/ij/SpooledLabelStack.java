package org.fijisam.ij;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import ij.ImagePlus;
import ij.VirtualStack;
import ij.process.ImageProcessor;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.amg.LabelImage;

/**
 * A label stack kept on disk while it is built: each plane is appended to a hidden scratch file
 * and read back one plane at a time when the result is saved. Batch segmentation of a long stack
 * then holds one plane in memory, not all of them (100 planes of 2048 x 2048 would be 800 MB of
 * 16-bit labels). The depth is decided at the end, so a stack whose labels pass 65,535 late is
 * written 32-bit throughout without converting planes already done. Close it to delete the
 * scratch file.
 */
public final class SpooledLabelStack implements AutoCloseable {

	private final int width;
	private final int height;
	private final Path scratch;
	private final FileChannel channel;
	private int planes;
	private int maxLabel;

	/** @param dir where the scratch file goes (the output folder: the space is needed there anyway) */
	public SpooledLabelStack(int width, int height, Path dir) throws IOException {
		this.width = width;
		this.height = height;
		Files.createDirectories(dir);
		this.scratch = AtomicFiles.scratch(dir, "labels", "spool", ".raw");
		this.channel = FileChannel.open(scratch, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
			StandardOpenOption.WRITE);
	}

	public void add(LabelImage plane) throws IOException {
		if (plane.width() != width || plane.height() != height) throw new IllegalArgumentException("plane " +
			plane.width() + "x" + plane.height() + " in a " + width + "x" + height + " stack");
		ByteBuffer bytes = ByteBuffer.allocate(planeBytes()).order(ByteOrder.nativeOrder());
		bytes.asIntBuffer().put(plane.labels());
		long at = (long) planes * planeBytes();
		while (bytes.hasRemaining())
			at += channel.write(bytes, at);
		planes++;
		maxLabel = Math.max(maxLabel, plane.maxLabel());
	}

	public int size() {
		return planes;
	}

	/**
	 * The stack as an ImagePlus whose planes are read from the scratch file on demand: 16-bit
	 * when every label fits, else 32-bit. Valid until {@link #close()}.
	 */
	public ImagePlus toImagePlus(String title) {
		if (planes == 0) throw new IllegalStateException("no planes were added");
		ImagePlus imp = new ImagePlus(title, new Planes(maxLabel > 65535));
		imp.setDisplayRange(0, Math.max(1, maxLabel));
		return imp;
	}

	int[] read(int index) {
		ByteBuffer bytes = ByteBuffer.allocate(planeBytes()).order(ByteOrder.nativeOrder());
		long at = (long) index * planeBytes();
		try {
			while (bytes.hasRemaining()) {
				int n = channel.read(bytes, at);
				if (n < 0) throw new IOException("the label scratch file " + scratch + " is shorter than expected");
				at += n;
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		bytes.flip();
		int[] labels = new int[width * height];
		bytes.asIntBuffer().get(labels);
		return labels;
	}

	private int planeBytes() {
		return 4 * width * height;
	}

	@Override
	public void close() throws IOException {
		channel.close();
		AtomicFiles.release(scratch);
	}

	/** ImageJ's view of the spooled planes (ImageJ's TIFF writer reads virtual stacks plane by plane). */
	private final class Planes extends VirtualStack {
		private final boolean thirtyTwoBit;

		Planes(boolean thirtyTwoBit) {
			super(width, height);
			this.thirtyTwoBit = thirtyTwoBit;
		}

		@Override
		public ImageProcessor getProcessor(int n) {
			return AmgLabelImages.toProcessor(new LabelImage(width, height, read(n - 1), maxLabel, List.of()),
				thirtyTwoBit);
		}

		@Override
		public Object getPixels(int n) {
			return getProcessor(n).getPixels();
		}

		@Override
		public int getSize() {
			return planes;
		}

		@Override
		public int size() {
			return planes;
		}

		@Override
		public int getBitDepth() {
			return thirtyTwoBit ? 32 : 16;
		}

		@Override
		public String getSliceLabel(int n) {
			return null;
		}
	}
}
