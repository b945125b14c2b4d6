package org.fijisam.ij;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.amg.SliceSource;

/**
 * The planes of an ImagePlus (every z, then every t; channels combined as the mapping says)
 * as a {@link SliceSource} for automatic segmentation of stacks and time series.
 */
public final class ImagePlusSlices implements SliceSource {

	private final ImagePlus imp;
	private final ChannelMapping mapping;

	/** @param mapping channels feeding R, G, B; null for the default */
	public ImagePlusSlices(ImagePlus imp, ChannelMapping mapping) {
		this.imp = imp;
		this.mapping = mapping;
	}

	/** 1-based slice (z) of plane {@code index}. */
	public int slice(int index) {
		return index % imp.getNSlices() + 1;
	}

	/** 1-based frame (t) of plane {@code index}. */
	public int frame(int index) {
		return index / imp.getNSlices() + 1;
	}

	@Override
	public int size() {
		return imp.getNSlices() * imp.getNFrames();
	}

	@Override
	public int[] dimensions(int index) {
		// ImageJ stacks share one size; the check still applies to other sources.
		return new int[] { imp.getWidth(), imp.getHeight() };
	}

	@Override
	public boolean eightBitOrRgb() {
		return imp.getBitDepth() == 8 || imp.getBitDepth() == 24;
	}

	@Override
	public float[] intensities(int index) {
		int n = imp.getWidth() * imp.getHeight();
		if (imp.getType() == ImagePlus.COLOR_RGB) {
			ColorProcessor cp = (ColorProcessor) imp.getStack().getProcessor(imp.getStackIndex(1, slice(index), frame(
				index)));
			float[] out = new float[3 * n];
			for (int c = 0; c < 3; c++) {
				byte[] ch = cp.getChannel(c + 1);
				for (int i = 0; i < n; i++)
					out[c * n + i] = ch[i] & 0xff;
			}
			return out;
		}
		int channels = imp.getNChannels();
		ChannelMapping m = mapping != null ? mapping : ChannelMapping.defaultFor(channels);
		java.util.Set<Integer> used = new java.util.TreeSet<>();
		for (int c = 0; c < 3; c++)
			if (m.source(c) >= 0 && m.source(c) < channels) used.add(m.source(c));
		float[] out = new float[used.size() * n];
		int k = 0;
		for (int c : used) {
			ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c + 1, slice(index), frame(index)));
			for (int i = 0; i < n; i++)
				out[k * n + i] = ip.getf(i);
			k++;
		}
		return out;
	}

	@Override
	public SamImage image(int index, Normalization normalization) throws SamException {
		return ImagePlusAdapter.toSamImage(imp, slice(index), frame(index), mapping, normalization);
	}
}
