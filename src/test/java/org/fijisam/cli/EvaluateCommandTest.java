package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;

import org.fijisam.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} checks everything that can fail before the long evaluation: the dataset's
 * files, the report's place (never over an input), both models, the label images' type.
 * Where the model work must not have started, the model folder given does not exist: the
 * error must still be about the files, proving they were checked first.
 */
class EvaluateCommandTest {

	/** A dataset of {@code n} 128x128 images with one disc object each, ids "img0".. */
	static Path dataset(Path dir, int n) throws Exception {
		Files.createDirectories(dir.resolve("images"));
		Files.createDirectories(dir.resolve("labels"));
		StringBuilder index = new StringBuilder("[");
		for (int i = 0; i < n; i++) {
			ShortProcessor labels = new ShortProcessor(128, 128);
			for (int y = 0; y < 128; y++)
				for (int x = 0; x < 128; x++)
					if ((x - 64) * (x - 64) + (y - 64) * (y - 64) < 30 * 30) labels.set(x, y, 1);
			new FileSaver(new ImagePlus("l", labels)).saveAsPng(dir.resolve("labels/img" + i + ".png").toString());
			new FileSaver(new ImagePlus("i", labels.convertToByte(true))).saveAsPng(dir.resolve("images/img" + i +
				".png").toString());
			index.append(i == 0 ? "" : ",").append("{\"id\": \"img").append(i).append("\"}");
		}
		Files.writeString(dir.resolve("index.json"), index.append("]").toString());
		return dir;
	}

	static AutoCommandTest.Run evaluate(Path data, Path report, String model, String... more) {
		String[] base = { "evaluate", "--dataset", data.toString(), "--report", report.toString(), "--model", model,
			"--preset", "none", "--corrections", "1", "--threads", "1" };
		String[] all = new String[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return AutoCommandTest.run(all);
	}

	@Test
	void missingFilesAreAllListedBeforeAnyModelWork(@TempDir Path tmp) throws Exception {
		Path data = dataset(tmp.resolve("data"), 13);
		for (int i = 0; i < 12; i++)
			Files.delete(data.resolve("images/img" + i + ".png"));
		Files.delete(data.resolve("labels/img12.png"));
		AutoCommandTest.Run r = evaluate(data, tmp.resolve("report.json"), tmp.resolve("no-model").toString());
		assertEquals(1, r.code, r.out + r.err);
		assertTrue(r.err.contains("13 files of the dataset"), r.err);
		assertTrue(r.err.contains("images/img0.png, images/img1.png"), r.err);
		assertTrue(r.err.contains(" and 3 more"), r.err);
		assertFalse(r.err.contains("model"), "the files are checked before the model is loaded: " + r.err);
	}

	@Test
	void reportOverADatasetFileIsRefused(@TempDir Path tmp) throws Exception {
		Path data = dataset(tmp.resolve("data"), 1);
		byte[] index = Files.readAllBytes(data.resolve("index.json"));
		byte[] label = Files.readAllBytes(data.resolve("labels/img0.png"));
		// Other spellings of the same files: compared as files, not as text.
		for (Path report : new Path[] { data.resolve("index.json"), data.resolve("images/../index.json"), data.resolve(
			"labels/img0.png") }) {
			AutoCommandTest.Run r = evaluate(data, report, tmp.resolve("no-model").toString());
			assertEquals(1, r.code, r.out + r.err);
			assertTrue(r.err.contains("is one of the dataset's own files"), r.err);
		}
		assertArrayEquals(index, Files.readAllBytes(data.resolve("index.json")));
		assertArrayEquals(label, Files.readAllBytes(data.resolve("labels/img0.png")));
	}

	@Test
	void unwritableReportPlaceIsFoundFirst(@TempDir Path tmp) throws Exception {
		Path data = dataset(tmp.resolve("data"), 1);
		Path file = Files.writeString(tmp.resolve("plain-file"), "x");
		AutoCommandTest.Run r = evaluate(data, file.resolve("sub/report.json"), tmp.resolve("no-model").toString());
		assertEquals(1, r.code, r.out + r.err);
		assertTrue(r.err.contains("plain-file is a file, not a folder"), r.err);
		assertFalse(r.err.contains("Exception"), r.err);
		r = evaluate(data, data, tmp.resolve("no-model").toString());
		assertTrue(r.err.contains("is a folder"), r.err);
	}

	@Test
	void colourLabelImageIsNamed(@TempDir Path tmp) throws Exception {
		Path data = dataset(tmp.resolve("data"), 2);
		Path rgb = data.resolve("labels/img1.png");
		new FileSaver(new ImagePlus("c", new ColorProcessor(128, 128))).saveAsPng(rgb.toString());
		AutoCommandTest.Run r = evaluate(data, tmp.resolve("report.json"), tmp.resolve("no-model").toString());
		assertEquals(1, r.code, r.out + r.err);
		assertTrue(r.err.contains("Label images must be single-channel integer images (8/16/32-bit grey); " + rgb +
			" is RGB"), r.err);
	}

	@Test
	void badTwinFailsBeforeEvaluatingAndAGoodRunWritesTheReport(@TempDir Path tmp) throws Exception {
		Path data = dataset(tmp.resolve("data"), 1), report = tmp.resolve("out/report.json");
		String model = Fixtures.folder("known").toString();
		AutoCommandTest.Run r = evaluate(data, report, model, "--twin", tmp.resolve("no-twin").toString());
		assertEquals(1, r.code, r.out + r.err);
		assertFalse(r.out.contains("point mIoU"), "no evaluation ran: " + r.out);
		assertFalse(Files.exists(report));
		r = evaluate(data, report, model, "--twin", model);
		assertEquals(0, r.code, r.out + r.err);
		String json = Files.readString(report, StandardCharsets.UTF_8);
		assertTrue(json.contains("\"point_miou\"") && json.contains("\"twin\""), json);
		try (var files = Files.list(report.getParent())) {
			assertEquals(1, files.count(), "no probe or temporary file left");
		}
	}
}
