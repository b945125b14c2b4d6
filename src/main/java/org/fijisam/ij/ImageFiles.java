package org.fijisam.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.UnsupportedImageException;

/** Reading images with ImageJ's opener and writing results atomically. */
public final class ImageFiles {

	private ImageFiles() {}

	/** Opens TIFF, PNG, JPEG (and whatever else ij.jar reads) or explains why not. */
	public static ImagePlus open(Path file) throws UnsupportedImageException {
		if (!Files.isRegularFile(file)) throw new UnsupportedImageException("The image file " + file +
			" does not exist.");
		try {
			if (Files.size(file) == 0) throw new UnsupportedImageException("The image file " + file +
				" is empty (0 bytes).");
		}
		catch (IOException e) {
			throw new UnsupportedImageException("Cannot read " + file + ": " + e.getMessage());
		}
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
			"Cannot read " + file + " as an image: it is damaged or not a format ImageJ opens (TIFF, PNG, JPEG, ...).");
		return imp;
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
