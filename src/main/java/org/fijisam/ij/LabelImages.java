package org.fijisam.ij;

import java.awt.Color;
import java.awt.image.IndexColorModel;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.LUT;
import ij.process.ShortProcessor;

import org.fijisam.core.BinaryMask;

/** 16-bit label images the size and calibration of a source image, with a glasbey-like LUT. */
public final class LabelImages {

	private LabelImages() {}

	/** An empty label image: one channel, the source's slices and frames, calibration copied. */
	public static ImagePlus create(ImagePlus source, String title) {
		int nz = source.getNSlices(), nt = source.getNFrames();
		ImageStack stack = new ImageStack(source.getWidth(), source.getHeight());
		for (int i = 0; i < nz * nt; i++)
			stack.addSlice(new ShortProcessor(source.getWidth(), source.getHeight()));
		ImagePlus labels = new ImagePlus(title, stack);
		if (nz * nt > 1) labels.setDimensions(1, nz, nt);
		if (nt > 1 && nz > 1) labels.setOpenAsHyperStack(true);
		labels.setCalibration(source.getCalibration().copy());
		labels.getProcessor().setLut(glasbeyLike());
		labels.setLut(glasbeyLike());
		return labels;
	}

	/** Paints a mask with a label on a plane (1-based z and t); later paints win. */
	public static void paint(ImagePlus labels, int slice, int frame, BinaryMask mask, int label) {
		short[] px = (short[]) labels.getStack().getProcessor(labels.getStackIndex(1, slice, frame)).getPixels();
		byte[] m = mask.data();
		for (int i = 0; i < m.length; i++)
			if (m[i] != 0) px[i] = (short) label;
	}

	/** Shows the full label range: labels 1..max in distinct colours. */
	public static void fitDisplay(ImagePlus labels) {
		labels.setDisplayRange(0, 255);
	}

	/**
	 * 256 well separated colours, black for 0: hues stepped by the golden ratio with three
	 * alternating brightness/saturation levels, so neighbouring labels never look alike.
	 */
	public static LUT glasbeyLike() {
		byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		double hue = 0.11;
		for (int i = 1; i < 256; i++) {
			hue = (hue + 0.6180339887) % 1.0;
			float sat = new float[] { 0.95f, 0.65f, 0.85f }[i % 3];
			float bri = new float[] { 1.0f, 0.85f, 0.65f }[(i / 3) % 3];
			int rgb = Color.HSBtoRGB((float) hue, sat, bri);
			r[i] = (byte) (rgb >> 16);
			g[i] = (byte) (rgb >> 8);
			b[i] = (byte) rgb;
		}
		return new LUT(new IndexColorModel(8, 256, r, g, b), 0, 255);
	}
}
