package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ShortProcessor;

import org.fijisam.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tool, run in-process with real files and the fixture model. */
class SamCliTest {

	static final class Run {
		final int code;
		final String out;
		final String err;

		Run(String... args) {
			ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			code = new SamCli().run(args, new PrintStream(o, true), new PrintStream(e, true));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
		}
	}

	static Path image16(Path dir, int w, int h) {
		ShortProcessor sp = new ShortProcessor(w, h);
		for (int i = 0; i < w * h; i++)
			sp.set(i, 1000 + (i * 7) % 500);
		Path p = dir.resolve("cells.tif");
		IJ.saveAsTiff(new ImagePlus("cells", sp), p.toString());
		return p;
	}

	@Test
	void segmentWritesLabelsAndOverlay(@TempDir Path tmp) throws Exception {
		Path img = image16(tmp, 512, 256);
		Path labels = tmp.resolve("out/labels.tif"), overlay = tmp.resolve("out/overlay.png");
		Run r = new Run("segment", img.toString(), "--point", "300.5,100.5", "--model", Fixtures.folder("known")
			.toString(), "--output", labels.toString(), "--overlay", overlay.toString(), "--mask", "single");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("provider: CPU"), r.out);
		assertTrue(r.out.contains("encoder") && r.out.contains("decoder"), r.out);
		ImagePlus lab = IJ.openImage(labels.toString());
		assertEquals(512, lab.getWidth());
		assertEquals(1, lab.getProcessor().get(300, 100), "foreground = 1");
		assertEquals(0, lab.getProcessor().get(10, 10), "background = 0");
		// Disc of 32 model px = 64 original px radius.
		int area = 0;
		for (int i = 0; i < 512 * 256; i++)
			area += lab.getProcessor().get(i);
		assertEquals(Math.PI * 64 * 64, area, Math.PI * 64 * 64 * 0.08);
		assertTrue(Files.size(overlay) > 0);
		try (java.util.stream.Stream<Path> s = Files.list(labels.getParent())) {
			assertEquals(2, s.count(), "no temporary files left behind");
		}
	}

	@Test
	void threadCountsAreCheckedBeforeAnyWork(@TempDir Path tmp) throws Exception {
		Path img = image16(tmp, 64, 64);
		int cores = Runtime.getRuntime().availableProcessors();
		Run tooMany = new Run("auto", img.toString(), "--output", tmp.resolve("out").toString(), "--threads", "1000");
		assertEquals(2, tooMany.code, tooMany.err);
		assertTrue(tooMany.err.contains("--threads 1000: this machine has " + cores + (cores == 1 ? " core" : " cores") +
			"; use 1.." + cores + ", or 0 for all"), tooMany.err);
		assertFalse(Files.exists(tmp.resolve("out")), "stopped before creating the output folder");
		Run negative = new Run("segment", img.toString(), "--point", "30,30", "--output", tmp.resolve("l.tif")
			.toString(), "--threads=-2");
		assertEquals(2, negative.code, negative.err);
		assertTrue(negative.err.contains("--threads -2: a thread count cannot be negative"), negative.err);
		assertFalse(Files.exists(tmp.resolve("l.tif")));
	}

	@Test
	void providerCudaFailsWithTheReasonAndAutoRunsOnTheCpu(@TempDir Path tmp) throws Exception {
		// This machine has no GPU, and the default build's onnxruntime jar no CUDA provider.
		Path img = image16(tmp, 64, 64);
		Run cuda = new Run("segment", img.toString(), "--point", "30,30", "--output", tmp.resolve("cuda.tif")
			.toString(), "--provider", "cuda");
		assertEquals(1, cuda.code, cuda.err);
		assertTrue(cuda.err.startsWith("error: The CUDA provider cannot be used: this build has no CUDA support: " +
			"build with -Pgpu / put onnxruntime_gpu in jars/"), cuda.err);
		assertTrue(cuda.err.contains("provider auto") && cuda.err.contains(" or cpu"), cuda.err);
		assertFalse(Files.exists(tmp.resolve("cuda.tif")));
		Run auto = new Run("segment", img.toString(), "--point", "30,30", "--output", tmp.resolve("auto.tif")
			.toString(), "--provider", "auto");
		assertEquals(0, auto.code, auto.err);
		assertTrue(auto.out.contains("provider: CPU") && auto.out.contains("no CUDA support"), auto.out);
		assertTrue(Files.isRegularFile(tmp.resolve("auto.tif")));
	}

	@Test
	void helpAndUsageErrors(@TempDir Path tmp) throws Exception {
		Run help = new Run("segment", "--help");
		assertEquals(0, help.code);
		assertTrue(help.out.contains("--point X,Y[,LABEL]"));
		for (String c : new String[] { "evaluate", "bench" })
			assertEquals(0, new Run(c, "--help").code, c);
		Run missing = new Run("segment", image16(tmp, 20, 20).toString(), "--point", "5,5");
		assertEquals(2, missing.code);
		assertTrue(missing.err.contains("--output"), missing.err);
		Run bad = new Run("segment", image16(tmp, 20, 20).toString(), "--point", "5;5", "--output", "x.tif");
		assertEquals(2, bad.code);
		Run unknown = new Run("frobnicate");
		assertEquals(2, unknown.code);
	}

	@Test
	void badInputFailsCleanlyWithoutOutput(@TempDir Path tmp) throws Exception {
		Path out = tmp.resolve("labels.tif");
		Path empty = Files.createFile(tmp.resolve("empty.png"));
		Run r = new Run("segment", empty.toString(), "--point", "1,1", "--output", out.toString(), "--model", Fixtures
			.folder("known").toString());
		assertEquals(1, r.code);
		assertTrue(r.err.contains("empty"), r.err);
		assertFalse(r.err.contains("Exception"), "no stack traces: " + r.err);
		Path img = image16(tmp, 64, 64);
		r = new Run("segment", img.toString(), "--point", "100,10", "--output", out.toString(), "--model", Fixtures
			.folder("known").toString());
		assertEquals(1, r.code);
		assertTrue(r.err.contains("outside"), r.err);
		r = new Run("segment", img.toString(), "--box", "50,10,20,40", "--output", out.toString(), "--model",
			Fixtures.folder("known").toString());
		assertTrue(r.err.contains("x1 < x0"), r.err);
		r = new Run("segment", img.toString(), "--output", out.toString(), "--model", Fixtures.folder("known")
			.toString());
		assertTrue(r.err.contains("No prompt"), r.err);
		r = new Run("segment", img.toString(), "--point", "5,5", "--output", out.toString(), "--model", tmp.resolve(
			"nomodel").toString());
		assertTrue(r.err.contains("does not exist"), r.err);
		assertFalse(Files.exists(out), "no output written on failure");
	}

	@Test
	void modelsInspectRecognisesAnExportAndWritesItsDescriptor(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(Fixtures.folder("known").resolve(f), tmp.resolve(f));
		Run r = new Run("models", "inspect", tmp.toString());
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("layout official-sam1, family sam1"), r.out);
		assertTrue(r.out.contains("image_embeddings FLOAT [1, 16, 16, 16]"), r.out);
		assertTrue(r.out.contains("loadable: yes") && r.out.contains("wrote "), r.out);
		assertTrue(Files.readString(tmp.resolve("sam.json")).contains("\"layout\": \"official-sam1\""));
		// A second run leaves it as it is; a segment run uses it.
		Run again = new Run("models", "inspect", tmp.toString());
		assertTrue(again.out.contains("already exists"), again.out);
		Run unknown = new Run("models", "inspect", Fixtures.folder("layouts/unknown").toString());
		assertEquals(1, unknown.code);
		assertTrue(unknown.err.contains("logits FLOAT [1, 1000]"), unknown.err);
		Run usage = new Run("models", "frobnicate");
		assertEquals(2, usage.code);
	}

	@Test
	void segmentWithAFolderWithoutDescriptorSaysWhatItRecognised(@TempDir Path tmp) throws Exception {
		Path model = tmp.resolve("model");
		Files.createDirectories(model);
		for (String f : new String[] { "encoder.onnx", "decoder.onnx" })
			Files.copy(Fixtures.folder("known").resolve(f), model.resolve(f));
		Path img = image16(tmp, 128, 128);
		Run r = new Run("segment", img.toString(), "--point", "64,64", "--model", model.toString(), "--output", tmp
			.resolve("labels.tif").toString());
		assertEquals(0, r.code, r.err);
		assertTrue((r.out + r.err).contains("recognised the official-sam1 export"), r.out + r.err);
		assertTrue(Files.exists(model.resolve("sam.json")));
	}
}
