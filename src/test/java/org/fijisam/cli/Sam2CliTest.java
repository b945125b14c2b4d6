package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sam-cli segment and auto on a SAM 2 model folder, with no flags about the model. */
class Sam2CliTest {

	@Test
	void segmentGivesTheOfficialMask(@TempDir Path tmp) throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		Path labels = tmp.resolve("labels.tif");
		// Box and point: not ambiguous, so "auto" takes the single mask, which for this prompt the
		// official predictor replaces by ambiguity token 1 (token 0 is unstable).
		SamCliTest.Run r = new SamCliTest.Run("segment", fixture.resolve("reference/blobs_300x700.png").toString(),
			"--box", "130,64,199,264", "--point", "172,164", "--model", fixture.toString(), "--output", labels.toString());
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("mask token 1"), r.out);
		JsonObject official = officialCase(fixture.resolve("reference/blobs_300x700.json"), "box_point", false);
		ImagePlus lab = IJ.openImage(labels.toString());
		JsonObject rle = official.getAsJsonArray("masks").get(0).getAsJsonObject();
		int h = 700, w = 300;
		// Pixel by pixel along the column-major COCO RLE (runs from background).
		int at = 0, differ = 0, i = 0;
		for (JsonElement run : rle.getAsJsonArray("counts")) {
			int n = run.getAsInt();
			for (int k = at; k < at + n; k++)
				if ((lab.getProcessor().get(k / h, k % h) != 0) != (i % 2 == 1)) differ++;
			at += n;
			i++;
		}
		assertEquals(w * h, at);
		assertTrue(differ <= 2, differ + " pixels differ from the official mask");
	}

	@Test
	void autoRunsWithTheSam2Preset(@TempDir Path tmp) throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		Path out = tmp.resolve("out");
		SamCliTest.Run r = new SamCliTest.Run("auto", fixture.resolve("reference/blobs_200x150.png").toString(),
			"--output", out.toString(), "--model", fixture.toString(), "--preset", "sam2_default", "--points-per-side",
			"8", "--pred-iou-thresh", "0", "--stability-score-thresh", "0");
		assertEquals(0, r.code, r.err + r.out);
		assertTrue(Files.exists(out.resolve("blobs_200x150_labels.tif")), r.out);
		List<String> rows = Files.readAllLines(out.resolve("blobs_200x150_objects.csv"), StandardCharsets.UTF_8);
		assertTrue(rows.size() > 1, "objects found: " + rows);
	}

	@Test
	void autoTakesUseM2m(@TempDir Path tmp) throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		SamCliTest.Run r = new SamCliTest.Run("auto", fixture.resolve("reference/blobs_200x150.png").toString(),
			"--output", tmp.resolve("out").toString(), "--model", fixture.toString(), "--points-per-side", "4",
			"--use-m2m", "1", "--pred-iou-thresh", "0", "--stability-score-thresh", "0", "--max-area-fraction", "1");
		assertEquals(0, r.code, r.err + r.out);
		assertTrue(r.out.contains("use_m2m=1"), r.out);
	}

	@Test
	void autoWithoutPresetTakesTheModelsDefault(@TempDir Path tmp) throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		SamCliTest.Run r = new SamCliTest.Run("auto", fixture.resolve("reference/blobs_200x150.png").toString(),
			"--output", tmp.resolve("out").toString(), "--model", fixture.toString(), "--points-per-side", "4",
			"--points-per-batch", "8");
		assertEquals(0, r.code, r.err + r.out);
		assertTrue(r.out.contains("pred_iou_thresh=0.8"), "SAM 2's generator defaults: " + r.out);
		SamCliTest.Run sam1 = new SamCliTest.Run("auto", fixture.resolve("reference/blobs_200x150.png").toString(),
			"--output", tmp.resolve("out1").toString(), "--model", Fixtures.folder("sam1-tiny").toString(),
			"--points-per-side", "4", "--points-per-batch", "8");
		assertEquals(0, sam1.code, sam1.err + sam1.out);
		assertTrue(sam1.out.contains("pred_iou_thresh=0.88"), "SAM 1's: " + sam1.out);
	}

	private static JsonObject officialCase(Path json, String name, boolean multimask) throws Exception {
		try (Reader rd = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
			for (JsonElement e : JsonParser.parseReader(rd).getAsJsonObject().getAsJsonObject("predictor")
				.getAsJsonArray("cases")) {
				JsonObject c = e.getAsJsonObject();
				if (c.get("name").getAsString().equals(name) && c.get("multimask_output").getAsBoolean() == multimask)
					return c;
			}
		}
		throw new AssertionError("no case " + name);
	}
}
