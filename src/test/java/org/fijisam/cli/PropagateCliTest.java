package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment --propagate z|t} on test-images/zstack.tif and movie.tif with the built-in
 * model: one click per object on one plane, each object followed through the stack and
 * compared with the ground truth in 3D (space-time for the movie).
 */
class PropagateCliTest {

	private static final Path STACK = Path.of("test-images", "zstack.tif");
	private static final Path TRUTH = Path.of("test-images", "zstack-labels.tif");
	private static final int START = 7;
	private static final Path MOVIE = Path.of("test-images", "movie.tif");
	private static final Path MOVIE_TRUTH = Path.of("test-images", "movie-labels.tif");
	private static final int MOVIE_START = 3;

	@Test
	void eachObjectIsFollowedThroughTheStackFromOneClick(@TempDir Path tmp) throws Exception {
		ImagePlus truth = IJ.openImage(TRUTH.toString());
		Path out = tmp.resolve("labels.tif");
		SamCliTest.Run r = propagate(STACK, "z", START, truth, out);
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("object 1: planes "), r.out);

		ImagePlus labels = IJ.openImage(out.toString());
		assertEquals(truth.getStackSize(), labels.getStackSize());
		// The target: 0.85 per object. Measured 0.856, 0.870 and 0.867 with the default
		// rules; the objects move by about their radius from slice to slice, and a click at each
		// object's true centre on every slice reaches 0.862 / 0.872 / 0.857 with this model
		// (PropagationVariants), so this is near what one point per slice can give.
		for (int label = 1; label <= objects(truth, START); label++) {
			double iou = iou(labels, truth, label, 1, truth.getStackSize());
			assertTrue(iou >= 0.85, String.format(Locale.ROOT, "object %d: 3D IoU %.3f%n%s", label, iou, r.out));
		}
	}

	/**
	 * Through t on test-images/movie.tif, one click per object on frame 3: objects 1 and 2 touch
	 * in frames 6-11, object 3 leaves the field (last seen in frame 14, as a sliver), object 4
	 * fades out (last labelled in frame 12).
	 */
	@Test
	void objectsAreFollowedThroughTimeAndStopWhereTheyEnd(@TempDir Path tmp) throws Exception {
		ImagePlus truth = IJ.openImage(MOVIE_TRUTH.toString());
		Path out = tmp.resolve("labels.tif");
		SamCliTest.Run r = propagate(MOVIE, "t", MOVIE_START, truth, out);
		assertEquals(0, r.code, r.out + r.err);
		ImagePlus labels = IJ.openImage(out.toString());
		int frames = truth.getNFrames();
		assertEquals(frames, labels.getNFrames());
		// Measured with the built-in model: space-time IoU 0.883 / 0.874 / 0.890 / 0.888 (the
		// model's own masks from a click at each object's centre: 0.81 to 0.94 a frame).
		for (int label = 1; label <= objects(truth, MOVIE_START); label++) {
			double iou = iou(labels, truth, label, 1, frames);
			assertTrue(iou >= 0.85, String.format(Locale.ROOT, "object %d: space-time IoU %.3f%n%s", label, iou,
				r.out));
		}
		// Touching, each keeps its own label: a mask spilling over both would score about 0.5
		// (measured 0.83 to 0.89 a frame).
		for (int label = 1; label <= 2; label++)
			for (int t = 6; t <= 11; t++) {
				double iou = iou(labels, truth, label, t, t);
				assertTrue(iou >= 0.75, String.format(Locale.ROOT, "object %d, frame %d: IoU %.3f", label, t, iou));
			}
		assertTrue(r.out.contains("object 1: planes 1..16;"), r.out);
		assertTrue(r.out.contains("object 2: planes 1..16;"), r.out);
		// Where the object ends, the model's mask comes back empty (measured: object 3 kept to
		// frame 13 of 14, object 4 to frame 12 of 12); a mask kept on a frame without the object
		// would be a false track.
		for (int label = 3; label <= 4; label++) {
			int end = lastFrame(truth, label);
			Matcher m = Pattern.compile("object " + label + ": planes 1\\.\\.(\\d+);.*forward stopped at plane (\\d+): ")
				.matcher(r.out);
			assertTrue(m.find(), r.out);
			int kept = Integer.parseInt(m.group(1));
			assertTrue(kept >= end - 2 && kept <= end, "object " + label + " ends at frame " + end + ", kept to " +
				kept + "\n" + r.out);
			assertEquals(kept + 1, Integer.parseInt(m.group(2)), r.out);
		}
	}

	/** {@code segment --propagate axis} with one click per object of the truth on the start plane. */
	private static SamCliTest.Run propagate(Path stack, String axis, int start, ImagePlus truth, Path out) {
		ImageProcessor startTruth = truth.getStack().getProcessor(start);
		List<String> argv = new ArrayList<>(List.of("segment", stack.toString(), "--propagate", axis, axis.equals("z")
			? "--slice" : "--frame", String.valueOf(start), "--output", out.toString()));
		for (int label = 1; label <= objects(truth, start); label++) {
			argv.add("--object");
			argv.add(click(startTruth, label));
		}
		return new SamCliTest.Run(argv.toArray(new String[0]));
	}

	private static int objects(ImagePlus truth, int plane) {
		return (int) truth.getStack().getProcessor(plane).getStatistics().max;
	}

	private static int lastFrame(ImagePlus truth, int label) {
		for (int t = truth.getStackSize(); t >= 1; t--) {
			ImageProcessor ip = truth.getStack().getProcessor(t);
			for (int i = 0; i < ip.getPixelCount(); i++)
				if ((int) ip.getf(i) == label) return t;
		}
		return 0;
	}

	@Test
	void propagationArgumentsAreChecked(@TempDir Path tmp) {
		String out = tmp.resolve("labels.tif").toString();
		SamCliTest.Run r = new SamCliTest.Run("segment", STACK.toString(), "--propagate", "t", "--object", "60,40",
			"--output", out);
		assertEquals(1, r.code);
		assertTrue(r.err.contains("nothing to propagate through along t; use --propagate z"), r.err);
		r = new SamCliTest.Run("segment", STACK.toString(), "--object", "60,40", "--output", out);
		assertEquals(2, r.code, r.err);
		assertTrue(r.err.contains("--object needs --propagate z|t"), r.err);
		r = new SamCliTest.Run("segment", STACK.toString(), "--propagate", "x", "--object", "60,40", "--output", out);
		assertTrue(r.err.contains("Unknown axis 'x'"), r.err);
		r = new SamCliTest.Run("segment", STACK.toString(), "--propagate", "z", "--object", "60,40", "--min-overlap",
			"1.5", "--output", out);
		assertTrue(r.err.contains("The minimum overlap must be between 0 and 1, not 1.5."), r.err);
		r = new SamCliTest.Run("segment", STACK.toString(), "--propagate", "z", "--object", "60,40", "--slice", "13",
			"--output", out);
		assertEquals(1, r.code);
		assertTrue(r.err.contains("The start --slice 13 is outside the image, which has 12 along z."), r.err);
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

	/**
	 * IoU of label {@code label} in both over planes {@code from..to} (1-based; the clicks keep
	 * the truth's order); 0 where neither has it.
	 */
	private static double iou(ImagePlus found, ImagePlus truth, int label, int from, int to) {
		long inter = 0, union = 0;
		for (int z = from; z <= to; z++) {
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
