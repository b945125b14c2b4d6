package org.fijisam.ij;

import java.io.IOException;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;

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

	/** Saves as TIFF through a temporary file, so no half-written output is ever left. */
	public static void saveTiff(ImagePlus imp, Path target) throws IOException {
		AtomicFiles.write(target, tmp -> {
			boolean ok = imp.getStackSize() > 1 ? new FileSaver(imp).saveAsTiffStack(tmp.toString())
				: new FileSaver(imp).saveAsTiff(tmp.toString());
			if (!ok) throw new IOException("ImageJ could not write " + target);
		});
	}

	/** Saves as PNG through a temporary file. */
	public static void savePng(ImagePlus imp, Path target) throws IOException {
		AtomicFiles.write(target, tmp -> {
			if (!new FileSaver(imp).saveAsPng(tmp.toString())) throw new IOException("ImageJ could not write " +
				target);
		});
	}
}
