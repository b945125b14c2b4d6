package org.fijisam.cli;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.filter.EDM;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.AutoThresholder;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * ImageJ's classic nuclei pipeline, all in ij.jar, as the baseline the automatic mode is
 * compared with: grey conversion, automatic threshold (Otsu), fill holes, watershed split of
 * touching nuclei, Analyze Particles into a label image. Polarity is chosen so that the
 * objects are the minority phase (fluorescence: bright nuclei; brightfield/H&amp;E: dark).
 */
final class ClassicPipeline {

	private final int minSize;

	ClassicPipeline(int minSize) {
		this.minSize = minSize;
	}

	int[] labels(ImagePlus image) {
		ImageProcessor grey = image.getProcessor().convertToByteProcessor(true);
		int[] histogram = grey.getHistogram();
		int t = new AutoThresholder().getThreshold(AutoThresholder.Method.Otsu, histogram);
		int w = grey.getWidth(), h = grey.getHeight();
		long above = 0;
		for (int i = t + 1; i < 256; i++)
			above += histogram[i];
		boolean brightObjects = above <= (long) w * h / 2;
		ByteProcessor mask = new ByteProcessor(w, h);
		for (int i = 0; i < w * h; i++) {
			boolean fg = brightObjects ? grey.get(i) > t : grey.get(i) <= t;
			mask.set(i, fg ? 255 : 0);
		}
		fillHoles(mask);
		// EDM-based watershed works on black objects on white unless told otherwise.
		mask.setBinaryThreshold();
		new EDM().toWatershed(mask);
		mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
		ParticleAnalyzer pa = new ParticleAnalyzer(ParticleAnalyzer.SHOW_ROI_MASKS, 0, new ResultsTable(), minSize,
			Double.POSITIVE_INFINITY);
		pa.setHideOutputImage(true);
		ImagePlus maskImage = new ImagePlus("mask", mask);
		pa.analyze(maskImage, mask);
		ImagePlus out = pa.getOutputImage();
		int[] labels = new int[w * h];
		if (out == null) return labels;
		ImageProcessor lp = out.getProcessor();
		for (int i = 0; i < labels.length; i++)
			labels[i] = (int) lp.getf(i);
		return labels;
	}

	/** Fills background regions that do not touch the border (holes inside nuclei). */
	private static void fillHoles(ByteProcessor mask) {
		int w = mask.getWidth(), h = mask.getHeight();
		byte[] px = (byte[]) mask.getPixels();
		boolean[] outside = new boolean[w * h];
		int[] stack = new int[w * h];
		int top = 0;
		for (int x = 0; x < w; x++) {
			top = seed(px, outside, stack, top, x);
			top = seed(px, outside, stack, top, (h - 1) * w + x);
		}
		for (int y = 0; y < h; y++) {
			top = seed(px, outside, stack, top, y * w);
			top = seed(px, outside, stack, top, y * w + w - 1);
		}
		while (top > 0) {
			int p = stack[--top];
			int x = p % w, y = p / w;
			if (x > 0) top = seed(px, outside, stack, top, p - 1);
			if (x < w - 1) top = seed(px, outside, stack, top, p + 1);
			if (y > 0) top = seed(px, outside, stack, top, p - w);
			if (y < h - 1) top = seed(px, outside, stack, top, p + w);
		}
		for (int i = 0; i < px.length; i++)
			if (!outside[i]) px[i] = (byte) 255;
	}

	private static int seed(byte[] px, boolean[] outside, int[] stack, int top, int p) {
		if (px[p] != 0 || outside[p]) return top;
		outside[p] = true;
		stack[top] = p;
		return top + 1;
	}
}
