package org.fijisam.core;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.GenericByteType;
import net.imglib2.view.Views;

/**
 * Turns imglib2 images into {@link SamImage}s: channel selection, intensity normalisation to
 * 0..255, non-finite values removed. Accepts 2D grey planes, 3D (x, y, c) images with a
 * channel axis, and ARGB images.
 */
public final class SamImages {

	private SamImages() {}

	/** A single grey 2D plane, replicated to R, G and B. */
	public static <T extends RealType<T>> SamImage fromGrey(RandomAccessibleInterval<T> plane,
		Normalization normalization) throws UnsupportedImageException
	{
		List<RandomAccessibleInterval<T>> channels = new ArrayList<>();
		channels.add(plane);
		return fromChannels(channels, ChannelMapping.of(0, 0, 0), normalization);
	}

	/**
	 * An image with a channel axis ({@code channelAxis} = -1 for a 2D grey image). Exactly two
	 * spatial axes (x, y) must remain once the channel axis is removed: take one plane of a
	 * stack with Views.hyperSlice first.
	 */
	public static <T extends RealType<T>> SamImage fromInterval(RandomAccessibleInterval<T> image,
		int channelAxis, ChannelMapping mapping, Normalization normalization)
		throws UnsupportedImageException
	{
		int spatial = image.numDimensions() - (channelAxis >= 0 ? 1 : 0);
		if (spatial != 2) throw new UnsupportedImageException("SAM segments one 2D plane at a time, " +
			"but the image has " + image.numDimensions() + " dimensions" +
			(channelAxis >= 0 ? " including the channel axis" : "") +
			". Select a single slice (or time point) first.");
		List<RandomAccessibleInterval<T>> channels = new ArrayList<>();
		if (channelAxis < 0) channels.add(image);
		else {
			for (long c = image.min(channelAxis); c <= image.max(channelAxis); c++)
				channels.add(Views.hyperSlice(image, channelAxis, c));
		}
		return fromChannels(channels, mapping == null ? ChannelMapping.defaultFor(channels.size())
			: mapping, normalization);
	}

	/** Several 2D planes of equal size, one per channel. */
	public static <T extends RealType<T>> SamImage fromChannels(List<RandomAccessibleInterval<T>> channels,
		ChannelMapping mapping, Normalization normalization) throws UnsupportedImageException
	{
		if (channels.isEmpty()) throw new UnsupportedImageException("The image has no channels.");
		RandomAccessibleInterval<T> first = channels.get(0);
		checkPlane(first);
		mapping.validate(channels.size());
		int w = (int) first.dimension(0), h = (int) first.dimension(1);
		boolean eightBit = first.getType() instanceof GenericByteType;
		Normalization resolved = normalization.resolve(eightBit);
		float[][] rgb = new float[3][];
		float[][] converted = new float[channels.size()][];
		for (int c = 0; c < 3; c++) {
			int src = mapping.source(c);
			if (src < 0) {
				rgb[c] = new float[w * h];
				continue;
			}
			if (converted[src] == null) {
				RandomAccessibleInterval<T> plane = channels.get(src);
				if (plane.dimension(0) != w || plane.dimension(1) != h || plane.numDimensions() != 2)
					throw new UnsupportedImageException("All channels must be 2D planes of " + w + "x" + h +
						"; channel " + (src + 1) + " is not.");
				float[] raw = toFloats(plane, w, h);
				stretch(raw, IntensityRange.measure(raw, resolved));
				converted[src] = raw;
			}
			rgb[c] = converted[src];
		}
		return new SamImage(w, h, rgb);
	}

	/** An RGB image (imglib2 ARGBType, alpha ignored), min-max stretched per channel. */
	public static SamImage fromArgb(RandomAccessibleInterval<ARGBType> image,
		Normalization normalization) throws UnsupportedImageException
	{
		checkPlane(image);
		int w = (int) image.dimension(0), h = (int) image.dimension(1);
		float[][] rgb = { new float[w * h], new float[w * h], new float[w * h] };
		int i = 0;
		for (ARGBType t : Views.flatIterable(image)) {
			int v = t.get();
			rgb[0][i] = (v >> 16) & 0xff;
			rgb[1][i] = (v >> 8) & 0xff;
			rgb[2][i] = v & 0xff;
			i++;
		}
		Normalization resolved = normalization.resolve(true);
		for (float[] channel : rgb)
			stretch(channel, IntensityRange.measure(channel, resolved));
		return new SamImage(w, h, rgb);
	}

	/** Wraps already-normalised 0..255 channel data (used by tests and by tiling). */
	public static SamImage ofNormalised(int width, int height, float[] r, float[] g, float[] b) {
		int n = width * height;
		if (r.length != n || g.length != n || b.length != n) throw new IllegalArgumentException(
			"channel arrays must hold width * height values");
		return new SamImage(width, height, new float[][] { r, g, b });
	}

	private static void checkPlane(RandomAccessibleInterval<?> plane) throws UnsupportedImageException {
		if (plane.numDimensions() != 2) throw new UnsupportedImageException("Expected a 2D plane but got " +
			plane.numDimensions() + " dimensions. Select a single slice first.");
		long w = plane.dimension(0), h = plane.dimension(1);
		if (w <= 0 || h <= 0) throw new UnsupportedImageException("The image is empty (" + w + "x" + h +
			"). Open an image with pixels.");
		if (w == 1 && h == 1) throw new UnsupportedImageException("The image is a single pixel; " +
			"there is nothing to segment. Open the full image.");
		if (w * h > Integer.MAX_VALUE / 4) throw new UnsupportedImageException("The plane " + w + "x" + h +
			" is too large for one pass; use automatic segmentation with tiling, or crop it.");
	}

	private static <T extends RealType<T>> float[] toFloats(RandomAccessibleInterval<T> plane, int w, int h) {
		float[] out = new float[w * h];
		Cursor<T> cursor = Views.flatIterable(plane).cursor();
		for (int i = 0; i < out.length; i++)
			out[i] = cursor.next().getRealFloat();
		return out;
	}

	/** Maps [low, high] to [0, 255] in place, clamping; non-finite values become 0. */
	static void stretch(float[] data, double[] range) {
		double low = range[0], high = range[1];
		if (!(high > low)) {
			// A constant plane carries no contrast: feed black rather than amplified noise.
			java.util.Arrays.fill(data, 0f);
			return;
		}
		float scale = (float) (255.0 / (high - low));
		float offset = (float) low;
		for (int i = 0; i < data.length; i++) {
			float v = (data[i] - offset) * scale;
			// NaN fails both tests and ends up 0; +Inf clamps to 255, -Inf to 0.
			data[i] = v > 0 ? (v < 255f ? v : 255f) : 0f;
		}
	}
}
