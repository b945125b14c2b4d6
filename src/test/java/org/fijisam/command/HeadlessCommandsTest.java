package org.fijisam.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import org.fijisam.Fixtures;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.RoiFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.prefs.PrefService;

/** The SciJava commands in a minimal Context, on files, with the fixture model. */
class HeadlessCommandsTest {

	static Context context;

	@BeforeAll
	static void start() {
		context = new Context(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	static Path writeInputs(Path dir) throws Exception {
		Files.createDirectories(dir);
		ImageFiles.saveTiff(new ImagePlus("cells", new ByteProcessor(128, 96)), dir.resolve("cells.tif"));
		RoiFiles.writeZip(Arrays.asList(new PointRoi(30, 30), new Roi(70, 40, 30, 30)), dir.resolve("cells.zip"));
		return dir;
	}

	@Test
	void segmentImageWithPromptsWritesLabelsTableAndRois(@TempDir Path tmp) throws Exception {
		Path in = writeInputs(tmp.resolve("in"));
		CommandModule m = context.service(CommandService.class).run(SegmentImageWithPromptsCommand.class, true,
			"image", in.resolve("cells.tif").toFile(), "rois", in.resolve("cells.zip").toFile(), "output", tmp
				.toFile(), "model", Fixtures.folder("known").toFile(), "threads", 1).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertEquals(2, m.getOutput("masks"));
		File labels = (File) m.getOutput("labels");
		assertNotNull(labels);
		ImagePlus l = IJ.openImage(labels.getPath());
		assertEquals(128, l.getWidth());
		assertEquals(2, l.getStatistics().max, 0.0);
		assertTrue(Files.readAllLines(tmp.resolve("cells-results.csv")).size() == 3);
		assertEquals(2, RoiFiles.read(tmp.resolve("cells-rois.zip")).size());
	}

	/**
	 * propagate=z on zstack.tif with the built-in model: the points of slice 7 (zstack.zip holds
	 * prompts on several slices; those of slice 7 are kept) carried through the stack, one label
	 * per object on every slice.
	 */
	@Test
	void segmentImageWithPromptsPropagatesThroughZ(@TempDir Path tmp) throws Exception {
		Path in = Files.createDirectories(tmp.resolve("in"));
		ImagePlus truth = IJ.openImage("test-images/zstack-labels.tif");
		ij.process.ImageProcessor start = truth.getStack().getProcessor(7);
		java.util.List<Roi> points = new java.util.ArrayList<>();
		for (int label = 1; label <= (int) start.getStatistics().max; label++) {
			double sx = 0, sy = 0;
			int n = 0;
			for (int i = 0; i < start.getPixelCount(); i++)
				if ((int) start.getf(i) == label) {
					sx += i % start.getWidth();
					sy += i / start.getWidth();
					n++;
				}
			PointRoi p = new PointRoi(Math.round(sx / n), Math.round(sy / n));
			p.setPosition(7);
			points.add(p);
		}
		RoiFiles.writeZip(points, in.resolve("zstack.zip"));
		CommandModule m = context.service(CommandService.class).run(SegmentImageWithPromptsCommand.class, true,
			"image", new File("test-images/zstack.tif"), "rois", in.resolve("zstack.zip").toFile(), "output", tmp
				.toFile(), "propagate", "z", "max_planes", 0).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		ImagePlus l = IJ.openImage(((File) m.getOutput("labels")).getPath());
		assertEquals(12, l.getStackSize());
		int masks = 0;
		for (int z = 1; z <= 12; z++) {
			java.util.Set<Integer> seen = new java.util.TreeSet<>();
			ij.process.ImageProcessor ip = l.getStack().getProcessor(z);
			for (int i = 0; i < ip.getPixelCount(); i++)
				if (ip.getf(i) > 0) seen.add((int) ip.getf(i));
			assertTrue(seen.stream().allMatch(v -> v >= 1 && v <= points.size()), "slice " + z + ": " + seen);
			masks += seen.size();
			if (z == 7) assertEquals(points.size(), seen.size(), "every object on its start slice");
		}
		assertTrue(masks > 2 * points.size(), "objects carried to other slices: " + masks + " masks");
		assertEquals((int) m.getOutput("masks"), RoiFiles.read(tmp.resolve("zstack-rois.zip")).size());
		assertEquals((int) m.getOutput("masks") + 1, Files.readAllLines(tmp.resolve("zstack-results.csv")).size());

		CommandModule flat = context.service(CommandService.class).run(SegmentImageWithPromptsCommand.class, true,
			"image", writeInputs(tmp.resolve("flat")).resolve("cells.tif").toFile(), "rois", tmp.resolve(
				"flat/cells.zip").toFile(), "output", tmp.resolve("flat").toFile(), "model", Fixtures.folder("known")
					.toFile(), "threads", 1, "propagate", "z").get();
		assertTrue(flat.isCanceled());
		assertTrue(flat.getCancelReason().contains("nothing to propagate through along z"), flat.getCancelReason());
		assertFalse(Files.exists(tmp.resolve("flat/cells-labels.tif")));
	}

	@Test
	void batchCommandAndItsFailures(@TempDir Path tmp) throws Exception {
		Path in = writeInputs(tmp.resolve("in"));
		CommandService cs = context.service(CommandService.class);
		CommandModule m = cs.run(BatchSegmentFolderCommand.class, true, "input", in.toFile(), "output", tmp
			.resolve("out").toFile(), "mode", "roi_files", "model", Fixtures.folder("known").toFile(), "threads", 1).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertEquals(1, m.getOutput("images"));
		assertTrue(Files.isRegularFile(tmp.resolve("out/cells-labels.tif")));
		// A broken model folder cancels the module with the reason, and writes nothing.
		CommandModule bad = cs.run(BatchSegmentFolderCommand.class, true, "input", in.toFile(), "output", tmp
			.resolve("out2").toFile(), "model", tmp.resolve("nothing").toFile(), "threads", 1).get();
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("does not exist"), bad.getCancelReason());
		assertFalse(Files.exists(tmp.resolve("out2")));
	}

	@Test
	void segmentEverythingWritesLabels(@TempDir Path tmp) throws Exception {
		Path in = writeInputs(tmp.resolve("in"));
		CommandModule m = context.service(CommandService.class).run(SegmentEverythingCommand.class, true, "image",
			in.resolve("cells.tif").toFile(), "output", tmp.toFile(), "model", Fixtures.folder("known").toFile(),
			"threads", 1).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertTrue(Files.isRegularFile(tmp.resolve("cells_labels.tif")));
		assertTrue(Files.isRegularFile(tmp.resolve("cells_objects.csv")));
	}

	/**
	 * One pipeline: the SciJava batch command in everything mode, the Fiji macro and sam-cli auto
	 * write the same files, byte for byte, for the same options (same names in the option table).
	 */
	@Test
	void everythingModeWritesWhatTheCliWrites(@TempDir Path tmp) throws Exception {
		Path in = Files.createDirectories(tmp.resolve("in"));
		ByteProcessor ramp = new ByteProcessor(256, 256);
		for (int i = 0; i < 256 * 256; i++)
			ramp.set(i, (i % 256) * 200 / 256);
		ImageFiles.saveTiff(new ImagePlus("cells", ramp), in.resolve("cells.tif"));
		String known = Fixtures.folder("known").toString();
		CommandModule m = context.service(CommandService.class).run(BatchSegmentFolderCommand.class, true, "input", in
			.toFile(), "output", tmp.resolve("scijava").toFile(), "mode", "everything", "preset", "sam_default",
			"points_per_side", "4", "pred_iou_thresh", "0", "stability_score_thresh", "0", "rois", true, "model", new File(known), "threads", 1)
			.get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		int code = new org.fijisam.cli.SamCli().run(new String[] { "auto", in.toString(), "--output", tmp.resolve("cli")
			.toString(), "--preset", "sam_default", "--points-per-side", "4", "--pred-iou-thresh", "0", "--stability-score-thresh", "0", "--rois",
			"--model", known, "--threads", "1" }, new java.io.PrintStream(out, true), new java.io.PrintStream(out, true));
		assertEquals(0, code, out.toString());
		for (String f : new String[] { "cells_labels.tif", "cells_objects.csv", "cells_rois.zip" })
			assertTrue(Arrays.equals(Files.readAllBytes(tmp.resolve("cli").resolve(f)), Files.readAllBytes(tmp.resolve(
				"scijava").resolve(f))), f + " differs between the CLI and the SciJava command");
		assertTrue(Files.readAllLines(tmp.resolve("cli/cells_objects.csv")).size() > 1, "objects were found");
	}

	@Test
	void wrongThreadsOrUnavailableCudaCancelWithTheCliWording(@TempDir Path tmp) throws Exception {
		try {
			Path in = writeInputs(tmp.resolve("in"));
			CommandService cs = context.service(CommandService.class);
			CommandModule threads = cs.run(SegmentEverythingCommand.class, true, "image", in.resolve("cells.tif")
				.toFile(), "output", tmp.resolve("out").toFile(), "model", Fixtures.folder("known").toFile(), "threads",
				1000).get();
			assertTrue(threads.isCanceled());
			int cores = Runtime.getRuntime().availableProcessors();
			assertTrue(threads.getCancelReason().startsWith("threads=1000: this machine has " + cores), threads
				.getCancelReason());
			CommandModule cuda = cs.run(SegmentImageWithPromptsCommand.class, true, "image", in.resolve("cells.tif")
				.toFile(), "rois", in.resolve("cells.zip").toFile(), "output", tmp.resolve("out").toFile(), "model",
				Fixtures.folder("known").toFile(), "threads", 1, "provider", "cuda").get();
			assertTrue(cuda.isCanceled());
			assertTrue(cuda.getCancelReason().contains("this build has no CUDA support: build with -Pgpu / put " +
				"onnxruntime_gpu in jars/"), cuda.getCancelReason());
			assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
		}
		finally {
			// SciJava remembers parameter values: the other tests must not inherit cuda or 1000 threads.
			context.service(PrefService.class).clear(SegmentEverythingCommand.class);
			context.service(PrefService.class).clear(SegmentImageWithPromptsCommand.class);
		}
	}
}
