package org.fijisam.ij;

import java.util.List;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import org.fijisam.core.BinaryMask;

/** Masks to ImageJ images: label images and a tinted overlay picture for quick checks. */
public final class MaskImages {

	private MaskImages() {}

	/**
	 * A label image: mask i gets label i + 1 (later masks overwrite earlier ones), 8-bit when
	 * the labels fit, else 16-bit.
	 */
	public static ImagePlus labels(String title, int width, int height, List<BinaryMask> masks) {
		ImageProcessor ip = masks.size() < 256 ? new ByteProcessor(width, height) : new ShortProcessor(width,
			height);
		for (int i = 0; i < masks.size(); i++) {
			byte[] m = masks.get(i).data();
			for (int p = 0; p < m.length; p++)
				if (m[p] != 0) ip.set(p, i + 1);
		}
		return new ImagePlus(title, ip);
	}

	/** The image as RGB with each mask tinted and outlined, for a PNG overview. */
	public static ImagePlus overlay(ImagePlus image, List<BinaryMask> masks) {
		ImageProcessor src = image.getProcessor().duplicate();
		src.resetMinAndMax();
		ColorProcessor rgb = (ColorProcessor) src.convertToRGB();
		int w = rgb.getWidth(), h = rgb.getHeight();
		int[] px = (int[]) rgb.getPixels();
		int[] colours = { 0xff3030, 0x30ff30, 0x3080ff, 0xffd030, 0xff30ff, 0x30ffff };
		for (int i = 0; i < masks.size(); i++) {
			byte[] m = masks.get(i).data();
			int c = colours[i % colours.length];
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					int p = y * w + x;
					if (m[p] == 0) continue;
					boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || m[p - 1] == 0 || m[p + 1] == 0 ||
						m[p - w] == 0 || m[p + w] == 0;
					px[p] = edge ? c : blend(px[p], c);
				}
			}
		}
		return new ImagePlus(image.getTitle() + " overlay", rgb);
	}

	private static int blend(int a, int b) {
		int r = (((a >> 16) & 0xff) * 3 + ((b >> 16) & 0xff) * 2) / 5;
		int g = (((a >> 8) & 0xff) * 3 + ((b >> 8) & 0xff) * 2) / 5;
		int bl = ((a & 0xff) * 3 + (b & 0xff) * 2) / 5;
		return (r << 16) | (g << 8) | bl;
	}
}
