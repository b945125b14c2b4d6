package org.fijisam.ij;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.UnsupportedImageException;

/**
 * ImageJ1 images to core types without imglib2-ij: the processors' pixel arrays are wrapped
 * by ArrayImgs (no copy) and handed to {@link SamImages}.
 */
public final class ImagePlusAdapter {

	private ImagePlusAdapter() {}

	/**
	 * One plane of an image (1-based slice and frame, all channels) as a SAM input.
	 *
	 * @param mapping which channels feed R, G, B; null for the default (grey replicated,
	 *          RGB as is, first channels of a multichannel image)
	 */
	public static SamImage toSamImage(ImagePlus imp, int slice, int frame, ChannelMapping mapping,
		Normalization normalization) throws UnsupportedImageException
	{
		check(imp);
		if (slice < 1 || slice > imp.getNSlices() || frame < 1 || frame > imp.getNFrames())
			throw new UnsupportedImageException("Position z=" + slice + ", t=" + frame + " is outside " +
				imp.getTitle() + " (" + imp.getNSlices() + " slices, " + imp.getNFrames() + " frames).");
		ImageStack stack = imp.getStack();
		List<RandomAccessibleInterval<FloatType>> floats = new ArrayList<>();
		if (imp.getType() == ImagePlus.COLOR_RGB) {
			ColorProcessor cp = (ColorProcessor) stack.getProcessor(imp.getStackIndex(1, slice, frame));
			int n = cp.getWidth() * cp.getHeight();
			byte[] r = new byte[n], g = new byte[n], b = new byte[n];
			cp.getRGB(r, g, b);
			List<RandomAccessibleInterval<net.imglib2.type.numeric.integer.UnsignedByteType>> channels =
				new ArrayList<>();
			for (byte[] c : new byte[][] { r, g, b })
				channels.add(ArrayImgs.unsignedBytes(c, cp.getWidth(), cp.getHeight()));
			return SamImages.fromChannels(channels, mapping != null ? mapping : ChannelMapping.defaultFor(3),
				normalization);
		}
		int nc = imp.getNChannels();
		ChannelMapping m = mapping != null ? mapping : ChannelMapping.defaultFor(nc);
		ImageProcessor first = stack.getProcessor(imp.getStackIndex(1, slice, frame));
		if (first instanceof ByteProcessor) {
			List<RandomAccessibleInterval<net.imglib2.type.numeric.integer.UnsignedByteType>> ch = new ArrayList<>();
			for (int c = 1; c <= nc; c++)
				ch.add(ArrayImgs.unsignedBytes((byte[]) plane(imp, c, slice, frame).getPixels(), imp.getWidth(),
					imp.getHeight()));
			return SamImages.fromChannels(ch, m, normalization);
		}
		if (first instanceof ShortProcessor) {
			List<RandomAccessibleInterval<net.imglib2.type.numeric.integer.UnsignedShortType>> ch = new ArrayList<>();
			for (int c = 1; c <= nc; c++)
				ch.add(ArrayImgs.unsignedShorts((short[]) plane(imp, c, slice, frame).getPixels(), imp.getWidth(),
					imp.getHeight()));
			return SamImages.fromChannels(ch, m, normalization);
		}
		if (first instanceof FloatProcessor) {
			for (int c = 1; c <= nc; c++)
				floats.add(ArrayImgs.floats((float[]) plane(imp, c, slice, frame).getPixels(), imp.getWidth(),
					imp.getHeight()));
			return SamImages.fromChannels(floats, m, normalization);
		}
		throw new UnsupportedImageException("Unsupported pixel type in " + imp.getTitle() +
			": use 8, 16 or 32-bit grey or RGB.");
	}

	/** The current plane (slice and frame of the image's position). */
	public static SamImage currentPlane(ImagePlus imp, ChannelMapping mapping, Normalization normalization)
		throws UnsupportedImageException
	{
		check(imp);
		return toSamImage(imp, imp.getZ(), imp.getT(), mapping, normalization);
	}

	private static ImageProcessor plane(ImagePlus imp, int c, int z, int t) {
		return imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
	}

	static void check(ImagePlus imp) throws UnsupportedImageException {
		if (imp == null) throw new UnsupportedImageException("No image: open an image first.");
		if (imp.getWidth() <= 0 || imp.getHeight() <= 0 || imp.getStackSize() == 0)
			throw new UnsupportedImageException("The image " + imp.getTitle() + " is empty.");
	}
}
