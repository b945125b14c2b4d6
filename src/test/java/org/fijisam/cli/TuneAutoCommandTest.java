package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import org.fijisam.Fixtures;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.LabelImage;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.onnx.OnnxSamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tune-auto on a two-image dataset whose truth is the fixture model's radius-32 discs: the
 * sweep must prefer IoU > 0.9 (only the discs) over 0.5 (discs plus the rings of token 1).
 */
class TuneAutoCommandTest {

	@Test
	void sweepFindsTheThresholdThatMatchesTheTruth(@TempDir Path dir) throws Exception {
		Path images = Files.createDirectories(dir.resolve("images")), labels = Files.createDirectories(dir.resolve(
			"labels"));
		AmgParameters truthParams = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5);
		try (OnnxSamModel model = Fixtures.known()) {
			for (String id : new String[] { "a", "b" }) {
				ImagePlus imp = new ImagePlus(id, AutoCommandTest.gradient(256, 256));
				new FileSaver(imp).saveAsPng(images.resolve(id + ".png").toString());
				SamImage image = ImagePlusAdapter.toSamImage(imp, 1, 1, null, org.fijisam.core.Normalization.auto());
				LabelImage truth = new AutoMaskGenerator(new SamPredictor(model), truthParams).generate(image).labels();
				ByteProcessor bp = new ByteProcessor(256, 256);
				for (int i = 0; i < truth.labels().length; i++)
					bp.set(i, truth.labels()[i]);
				new FileSaver(new ImagePlus(id, bp)).saveAsPng(labels.resolve(id + ".png").toString());
			}
		}
		Files.write(dir.resolve("index.json"), "[{\"id\": \"a\"}, {\"id\": \"b\"}]".getBytes(StandardCharsets.UTF_8));
		Path report = dir.resolve("tune.json");
		AutoCommandTest.Run r = AutoCommandTest.run("tune-auto", "--dataset", dir.toString(), "--report", report
			.toString(), "--preset", "sam_default", "--points-per-side", "2", "--iou-values", "0.5,0.9",
			"--stability-values", "0.5", "--min-size-values", "0,10", "--model", Fixtures.folder("known").toString(),
			"--threads", "1");
		assertEquals(0, r.code, r.out + r.err);
		JsonObject json = JsonParser.parseString(new String(Files.readAllBytes(report), StandardCharsets.UTF_8))
			.getAsJsonObject();
		JsonObject best = json.getAsJsonObject("best");
		assertEquals(0.9, best.get("pred_iou_thresh").getAsDouble());
		assertEquals(1.0, best.get("sa50").getAsDouble(), 1e-9);
		assertEquals(4, json.getAsJsonArray("settings").size());
		assertTrue(r.out.contains("microscopy.pred_iou_thresh=0.9"), r.out);
	}
}
