package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

import org.fijisam.Fixtures;
import org.fijisam.io.CocoJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auto command end to end on the "known" fixture model (discs of 32 model px around each point). */
class AutoCommandTest {

	static final String[] FAST = { "--points-per-side", "2", "--pred-iou-thresh", "0.9", "--stability-score-thresh",
		"0.5", "--threads", "1" };

	static ByteProcessor gradient(int w, int h) {
		ByteProcessor bp = new ByteProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				bp.set(x, y, x * 255 / w);
		return bp;
	}

	static String[] argv(String... parts) {
		String[] all = new String[parts.length + FAST.length + 2];
		System.arraycopy(parts, 0, all, 0, parts.length);
		System.arraycopy(FAST, 0, all, parts.length, FAST.length);
		all[all.length - 2] = "--model";
		all[all.length - 1] = Fixtures.folder("known").toString();
		return all;
	}

	static final class Run {
		int code;
		String out;
		String err;
	}

	static Run run(String... args) {
		ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		Run r = new Run();
		r.code = new SamCli().run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true,
			StandardCharsets.UTF_8));
		r.out = o.toString(StandardCharsets.UTF_8);
		r.err = e.toString(StandardCharsets.UTF_8);
		return r;
	}

	@Test
	void folderWithACorruptFileIsResumable(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		new FileSaver(new ImagePlus("a", gradient(256, 256))).saveAsTiff(in.resolve("a.tif").toString());
		new FileSaver(new ImagePlus("b", gradient(200, 120))).saveAsPng(in.resolve("b.png").toString());
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		Files.write(in.resolve("notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
		Run r = run(argv("auto", in.toString(), "--output", out.toString(), "--coco"));
		assertEquals(1, r.code, r.out + r.err);
		assertTrue(r.err.contains("failed: broken.tif"), r.err);
		assertTrue(r.out.contains("summary: 2 segmented, 0 skipped (already done), 1 failed"), r.out);
		assertTrue(r.out.contains("time split: total"), r.out);
		assertTrue(r.out.contains("peak memory: Java heap "), r.out);
		ImagePlus labels = IJ.openImage(out.resolve("a_labels.tif").toString());
		assertEquals(16, labels.getBitDepth());
		assertEquals(4, (int) labels.getProcessor().getStatistics().max, "four discs");
		List<String> csv = Files.readAllLines(out.resolve("a_objects.csv"));
		assertEquals(5, csv.size());
		assertTrue(csv.get(0).startsWith("label,area,bbox_x"));
		assertEquals(4, CocoJson.readMasks(out.resolve("a_coco.json")).size());
		assertTrue(Files.exists(out.resolve("b_labels.tif")));
		assertFalse(Files.exists(out.resolve("broken_labels.tif")));
		try (var files = Files.list(out)) {
			assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("partial")), "no half-written files");
		}
		Run again = run(argv("auto", in.toString(), "--output", out.toString(), "--coco"));
		assertTrue(again.out.contains("summary: 0 segmented, 2 skipped (already done), 1 failed"), again.out);
	}

	@Test
	void stackGivesALabelStackWithLinkedLabels(@TempDir Path dir) throws Exception {
		ImageStack stack = new ImageStack(128, 128);
		for (int z = 0; z < 3; z++) {
			ShortProcessor sp = new ShortProcessor(128, 128);
			for (int i = 0; i < 128 * 128; i++)
				sp.set(i, 1000 + z * 50 + (i % 128) * 10);
			stack.addSlice(sp);
		}
		Path file = dir.resolve("stack.tif");
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(file.toString());
		Run r = run(argv("auto", file.toString(), "--output", dir.resolve("out").toString(), "--link"));
		assertEquals(0, r.code, r.out + r.err);
		ImagePlus labels = IJ.openImage(dir.resolve("out/stack_labels.tif").toString());
		assertEquals(3, labels.getStackSize());
		for (int z = 1; z <= 3; z++)
			assertEquals(4, (int) labels.getStack().getProcessor(z).getStatistics().max, "linked labels in slice " + z);
		List<String> csv = Files.readAllLines(dir.resolve("out/stack_objects.csv"));
		assertTrue(csv.get(0).startsWith("plane,slice,frame,label"), csv.get(0));
		assertEquals(1 + 12, csv.size());
	}

	@Test
	void badOptionsAreUsageErrors(@TempDir Path dir) throws Exception {
		Path img = dir.resolve("a.tif");
		new FileSaver(new ImagePlus("a", gradient(64, 64))).saveAsTiff(img.toString());
		Run zero = run("auto", img.toString(), "--output", dir.toString(), "--points-per-side", "0");
		assertEquals(2, zero.code);
		assertTrue(zero.err.contains("points_per_side must be at least 1"), zero.err);
		Run halo = run("auto", img.toString(), "--output", dir.toString(), "--tile", "64", "--halo", "128");
		assertEquals(2, halo.code);
		assertTrue(halo.err.contains("larger than the halo"), halo.err);
		Run preset = run("auto", img.toString(), "--output", dir.toString(), "--preset", "cells");
		assertEquals(2, preset.code);
		assertTrue(preset.err.contains("microscopy"), preset.err);
		Run help = run("auto", "--help");
		assertEquals(0, help.code);
		assertTrue(help.out.contains("--pred-iou-thresh") && help.out.contains("SAM default 0.88"), help.out);
		Run missing = run(argv("auto", dir.resolve("nope").toString(), "--output", dir.toString()));
		assertEquals(1, missing.code);
		assertTrue(missing.err.contains("does not exist"), missing.err);
	}

	@Test
	void constantImageGivesAnEmptyLabelImage(@TempDir Path dir) throws Exception {
		Path img = dir.resolve("flat.tif");
		new FileSaver(new ImagePlus("flat", new ByteProcessor(80, 60))).saveAsTiff(img.toString());
		Run r = run(argv("auto", img.toString(), "--output", dir.resolve("out").toString()));
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("0 objects"), r.out);
		assertFalse(r.out.contains("decoded masks passed"), "nothing was decoded, so no threshold hint: " + r.out);
		assertEquals(0, (int) IJ.openImage(dir.resolve("out/flat_labels.tif").toString()).getProcessor().getStatistics().max);
	}

	@Test
	void tooStrictThresholdsAreNamedWithWhatToTry(@TempDir Path dir) throws Exception {
		Path img = dir.resolve("ramp.tif");
		ByteProcessor ramp = new ByteProcessor(80, 60);
		for (int y = 0; y < 60; y++)
			for (int x = 0; x < 80; x++)
				ramp.set(x, y, 3 * x);
		new FileSaver(new ImagePlus("ramp", ramp)).saveAsTiff(img.toString());
		// no object of an 80 x 60 image can have 100,000 pixels
		Run r = run(argv("auto", img.toString(), "--min-object-size", "100000", "--output", dir.resolve("out")
			.toString()));
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("0 objects"), r.out);
		assertTrue(r.out.contains("decoded masks passed pred_iou_thresh 0.9") && r.out.contains("min_object_size 100000") &&
			r.out.contains("--pred-iou-thresh 0.3"), r.out);
		assertFalse(r.out.contains("--multimask-output 1"), "SAM's preset already takes three masks: " + r.out);
		// with single-mask output per point, the hint also offers the three ambiguity masks
		Run single = run(argv("auto", img.toString(), "--min-object-size", "100000", "--multimask-output", "0",
			"--output", dir.resolve("out2").toString()));
		assertEquals(0, single.code, single.out + single.err);
		assertTrue(single.out.contains("--multimask-output 1"), single.out);
	}

	@Test
	void twoRunsIntoOneFolderTheSecondIsStoppedBeforeAnyWork(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		new FileSaver(new ImagePlus("a", gradient(128, 128))).saveAsTiff(in.resolve("a.tif").toString());
		try (org.fijisam.core.OutputLock other = org.fijisam.core.OutputLock.acquire(out, "another sam-cli auto")) {
			Run r = run(argv("auto", in.toString(), "--output", out.toString()));
			assertEquals(1, r.code, r.out + r.err);
			assertTrue((r.out + r.err).contains("Another run is writing into " + out), r.out + r.err);
			assertFalse(Files.exists(out.resolve("a_labels.tif")));
		}
		Run r = run(argv("auto", in.toString(), "--output", out.toString()));
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(Files.exists(out.resolve("a_labels.tif")));
		assertFalse(Files.exists(out.resolve(org.fijisam.core.OutputLock.FILE_NAME)), "released at the end");
	}
}
