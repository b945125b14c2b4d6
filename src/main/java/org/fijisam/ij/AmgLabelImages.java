package org.fijisam.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import org.fijisam.core.amg.LabelImage;

/**
 * Automatic-segmentation label images ({@link LabelImage}) to ImageJ: 16-bit while labels
 * fit in 65,535, else 32-bit (float holds integers exactly up to 16.7 million).
 */
public final class AmgLabelImages {

	private AmgLabelImages() {}

	/** One label plane as a processor of the given depth (16 or 32). */
	public static ImageProcessor toProcessor(LabelImage labels, boolean thirtyTwoBit) {
		int w = labels.width(), h = labels.height();
		int[] src = labels.labels();
		if (thirtyTwoBit) {
			float[] px = new float[src.length];
			for (int i = 0; i < px.length; i++)
				px[i] = src[i];
			return new FloatProcessor(w, h, px);
		}
		short[] px = new short[src.length];
		for (int i = 0; i < px.length; i++)
			px[i] = (short) src[i];
		return new ShortProcessor(w, h, px, null);
	}

	/** A label image, 16-bit or 32-bit as the labels need, display range 0..max label. */
	public static ImagePlus toImagePlus(LabelImage labels, String title) {
		ImageProcessor ip = toProcessor(labels, labels.needs32Bit());
		ip.setMinAndMax(0, Math.max(1, labels.maxLabel()));
		return new ImagePlus(title, ip);
	}

	/**
	 * A label stack built slice by slice: 16-bit until a label exceeds 65,535, then the slices
	 * so far are converted to 32-bit.
	 */
	public static final class StackBuilder {
		private final int width;
		private final int height;
		private ImageStack stack;
		private boolean thirtyTwoBit;
		private int maxLabel;

		public StackBuilder(int width, int height) {
			this.width = width;
			this.height = height;
			this.stack = new ImageStack(width, height);
		}

		public void add(LabelImage slice) {
			maxLabel = Math.max(maxLabel, slice.maxLabel());
			if (slice.needs32Bit() && !thirtyTwoBit) {
				ImageStack converted = new ImageStack(width, height);
				for (int i = 1; i <= stack.getSize(); i++)
					converted.addSlice(stack.getSliceLabel(i), stack.getProcessor(i).convertToFloat());
				stack = converted;
				thirtyTwoBit = true;
			}
			stack.addSlice(null, toProcessor(slice, thirtyTwoBit));
		}

		public ImagePlus build(String title) {
			ImagePlus imp = new ImagePlus(title, stack);
			imp.setDisplayRange(0, Math.max(1, maxLabel));
			return imp;
		}
	}
}
