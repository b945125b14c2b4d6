package org.fijisam.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.io.TiffEncoder;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.UnsupportedImageException;

/** Reading images with ImageJ's opener and writing results atomically. */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * Opens TIFF, PNG, JPEG (and whatever else ij.jar reads) or explains why not: a missing file, a
	 * folder, no permission, a truncated file (never read as a partly blank image), a TIFF variant
	 * ImageJ does not read, or whatever else is known.
	 */
	public static ImagePlus open(Path file) throws UnsupportedImageException {
		ImageFileCheck.check(file);
		return openChecked(file);
	}

	private static ImagePlus openChecked(Path file) throws UnsupportedImageException {
		ImagePlus imp;
		try {
			// Errors must come back here, not as a dialog.
			IJ.redirectErrorMessages();
			imp = new Opener().openImage(file.toAbsolutePath().toString());
		}
		catch (RuntimeException e) {
			imp = null;
		}
		if (imp == null || imp.getWidth() <= 0 || imp.getHeight() <= 0) throw new UnsupportedImageException(
			ImageFileCheck.whyUnreadable(file));
		return imp;
	}

	/**
	 * Opens a TIFF stack as a virtual stack, so its planes are read from disk one at a time
	 * instead of all being held: batch segmentation of long stacks then needs memory for one
	 * plane, not for the whole file. Anything else (other formats, single images, TIFFs ImageJ
	 * cannot read virtually) opens as {@link #open(Path)} does.
	 */
	public static ImagePlus openStreaming(Path file) throws UnsupportedImageException {
		ImageFileCheck.check(file);
		String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if ((name.endsWith(".tif") || name.endsWith(".tiff")) && isTiffStack(file)) {
			ImagePlus imp = null;
			try {
				IJ.redirectErrorMessages();
				imp = IJ.openVirtual(file.toAbsolutePath().toString());
			}
			catch (RuntimeException e) {
				// Falls back to a full open below, which explains a damaged file.
			}
			if (imp != null && imp.getStackSize() > 1 && imp.getStack().isVirtual() && imp.getWidth() > 0) return imp;
		}
		return openChecked(file);
	}

	/** Whether a TIFF holds more than one plane (asked first: ImageJ's virtual opener logs a complaint otherwise). */
	private static boolean isTiffStack(Path file) {
		try {
			Path dir = file.toAbsolutePath().getParent();
			FileInfo[] info = new TiffDecoder(dir.toString() + java.io.File.separator, file.getFileName().toString())
				.getTiffInfo();
			return info != null && (info.length > 1 || info.length == 1 && info[0].nImages > 1);
		}
		catch (IOException | RuntimeException e) {
			return false; // damaged: the full open explains it
		}
	}

	/**
	 * Saves as TIFF through a scratch file, so no half-written output is ever left; the written
	 * file is checked (its header read back, its planes all inside the file) before it replaces
	 * the target.
	 */
	public static void saveTiff(ImagePlus imp, Path target) throws IOException {
		FileInfo fi = tiffInfo(imp);
		AtomicFiles.write(target, tmp -> {
			try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files
				.newOutputStream(tmp), 1 << 16))) {
				new TiffEncoder(fi).write(out);
			}
		}, ImageFiles::verifyTiff);
	}

	/**
	 * What ImageJ's FileSaver puts in a TIFF (pixels or the virtual stack, calibration and
	 * display range in the description, slice labels, info), for ImageJ's encoder: used directly,
	 * a failure (a full disk) comes back as an exception instead of FileSaver's message on the
	 * console or in a dialog.
	 */
	private static FileInfo tiffInfo(ImagePlus imp) {
		FileInfo fi = imp.getFileInfo();
		if (imp.getStackSize() > 1 && imp.getStack().isVirtual()) fi.virtualStack = (ij.VirtualStack) imp.getStack();
		fi.info = imp.getInfoProperty();
		fi.description = new FileSaver(imp).getDescriptionString();
		if (imp.getStackSize() > 1) fi.sliceLabels = imp.getStack().getSliceLabels();
		fi.properties = imp.getPropertiesAsArray();
		return fi;
	}

	/** Throws unless the TIFF's header reads back and every plane it announces lies inside the file. */
	static void verifyTiff(Path file) throws IOException {
		long size = Files.size(file);
		FileInfo[] info;
		try {
			info = new TiffDecoder(file.toAbsolutePath().getParent().toString() + java.io.File.separator, file
				.getFileName().toString()).getTiffInfo();
		}
		catch (IOException | RuntimeException e) {
			throw new IOException("the written TIFF file cannot be read back (is the disk full?)", e);
		}
		if (info == null || info.length == 0) throw new IOException("the written TIFF file has no image");
		for (FileInfo fi : info) {
			long end = fi.getOffset() + (long) Math.max(1, fi.nImages) * fi.width * fi.height * fi.getBytesPerPixel() +
				(long) Math.max(0, fi.nImages - 1) * fi.getGap();
			if (end > size) throw new IOException("the written TIFF file is incomplete (" + size + " of " + end +
				" bytes; is the disk full?)");
		}
	}

	/**
	 * Saves as PNG through a scratch file with Java's own encoder: ImageJ's PNG writer reports
	 * success even when the disk is full, this one fails.
	 */
	public static void savePng(ImagePlus imp, Path target) throws IOException {
		java.awt.image.BufferedImage image = imp.getBufferedImage();
		AtomicFiles.write(target, tmp -> {
			try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
				if (!javax.imageio.ImageIO.write(image, "png", out)) throw new IOException("no PNG encoder in this Java");
			}
		}, tmp -> {
			java.awt.image.BufferedImage back = javax.imageio.ImageIO.read(tmp.toFile());
			if (back == null || back.getWidth() != image.getWidth() || back.getHeight() != image.getHeight())
				throw new IOException("the written PNG file cannot be read back (is the disk full?)");
		});
	}
}
