package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment --propagate z} on test-images/zstack.tif with the built-in model: one click
 * per object on the middle slice, each object followed through z and compared with the
 * ground truth in 3D.
 */
class PropagateCliTest {

	private static final Path STACK = Path.of("test-images", "zstack.tif");
	private static final Path TRUTH = Path.of("test-images", "zstack-labels.tif");
	private static final int START = 7;

	@Test
	void eachObjectIsFollowedThroughTheStackFromOneClick(@TempDir Path tmp) throws Exception {
		ImagePlus truth = IJ.openImage(TRUTH.toString());
		ImageProcessor startTruth = truth.getStack().getProcessor(START);
		int objects = (int) startTruth.getStatistics().max;
		String[] argv = new String[4 + 2 * objects + 4];
		int k = 0;
		argv[k++] = "segment";
		argv[k++] = STACK.toString();
		argv[k++] = "--propagate";
		argv[k++] = "z";
		for (int label = 1; label <= objects; label++) {
			argv[k++] = "--object";
			argv[k++] = click(startTruth, label);
		}
		Path out = tmp.resolve("labels.tif");
		argv[k++] = "--slice";
		argv[k++] = String.valueOf(START);
		argv[k++] = "--output";
		argv[k++] = out.toString();
		String extra = System.getProperty("extra", "");
		if (!extra.isEmpty()) {
			java.util.List<String> l = new java.util.ArrayList<>(java.util.Arrays.asList(argv));
			l.addAll(java.util.Arrays.asList(extra.split(" ")));
			argv = l.toArray(new String[0]);
		}
		SamCliTest.Run r = new SamCliTest.Run(argv);
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("object 1: planes "), r.out);

		ImagePlus labels = IJ.openImage(out.toString());
		assertEquals(truth.getStackSize(), labels.getStackSize());
		for (int label = 1; label <= objects; label++) {
			double iou = iou3d(labels, truth, label);
			System.out.printf(Locale.ROOT, "object %d: 3D IoU %.3f%n", label, iou);
		}
		System.out.println(r.out);
	}

	/** The centre of the object's pixels on the start slice, as a user would click it. */
	private static String click(ImageProcessor truth, int label) {
		double sx = 0, sy = 0;
		int n = 0;
		for (int y = 0; y < truth.getHeight(); y++)
			for (int x = 0; x < truth.getWidth(); x++)
				if ((int) truth.getf(x, y) == label) {
					sx += x + 0.5;
					sy += y + 0.5;
					n++;
				}
		return String.format(Locale.ROOT, "%.1f,%.1f", sx / n, sy / n);
	}

	/** IoU over the whole stack of label {@code label} in both (the clicks keep the truth's order). */
	private static double iou3d(ImagePlus found, ImagePlus truth, int label) {
		long inter = 0, union = 0;
		for (int z = 1; z <= truth.getStackSize(); z++) {
			ImageProcessor f = found.getStack().getProcessor(z), t = truth.getStack().getProcessor(z);
			for (int i = 0; i < f.getPixelCount(); i++) {
				boolean a = (int) f.getf(i) == label, b = (int) t.getf(i) == label;
				if (a && b) inter++;
				if (a || b) union++;
			}
		}
		return union == 0 ? 0 : inter / (double) union;
	}
}
