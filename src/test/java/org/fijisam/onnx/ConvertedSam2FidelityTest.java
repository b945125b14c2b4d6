package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import ij.ImagePlus;

import org.fijisam.Fixtures;
import org.fijisam.convert.CheckpointConversion;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;
import org.fijisam.onnx.OfficialSam1FidelityTest.Agreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SAM 2.1 checkpoint saved the official way (fixtures/convert/sam2.1-tiny.pt: the weights of the
 * sam2-tiny fixture, made by training/fixtures/make_sam2_convert_fixtures.py), converted in Java
 * through the tiny template (made from our own PyTorch implementation, training/official_arch/sam2.py),
 * loaded with no flags, must give the official SAM2ImagePredictor's masks, scores, single-mask choices
 * and low-resolution logits (fixtures/sam2-tiny/reference).
 */
class ConvertedSam2FidelityTest {

	/** Low-res logits: |ours - official| <= this, relative to max(1, |official|) (6 significant digits are recorded). */
	static final double MAX_LOGIT_DIFF = 1e-4;

	static Path convert(Path tmp) throws Exception {
		Path model = tmp.resolve("converted");
		CheckpointConversion.convert(Fixtures.folder("convert").resolve("sam2.1-tiny.pt"), "sam2", "tiny", model,
			ProgressListener.NONE);
		return model;
	}

	@Test
	void convertedCheckpointGivesTheOfficialMasks(@TempDir Path tmp) throws Exception {
		Path model = convert(tmp);
		double[] inputDiff = new double[1];
		Agreement a = OfficialSam2FidelityTest.compare(model, Fixtures.folder("sam2-tiny"), inputDiff, true);
		System.out.println("converted SAM 2.1: " + a);
		assertEquals(60, a.masks, "5 prompts x multimask on/off x 3 images: 3 + 1 masks each");
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	/**
	 * The logits of all four mask tokens against the official decoder's (decoder_raw: the values the
	 * official modules gave in PyTorch at a 16 x 16 grid of the 256 x 256 low-res masks), for every
	 * prompt, refinements included.
	 */
	@Test
	void logitsEqualTheOfficialOnes(@TempDir Path tmp) throws Exception {
		Path model = convert(tmp);
		double[] ours = maxLogitDifference(model), export = maxLogitDifference(Fixtures.folder("sam2-tiny"));
		System.out.println(String.format(Locale.ROOT, "SAM 2.1 low-res logits vs the official decoder's (%d masks, " +
			"max relative |diff|, first prompts / refinements): converted %.2e / %.2e, official ONNX export of the " +
			"same weights %.2e / %.2e", (int) ours[2], ours[0], ours[1], export[0], export[1]));
		assertEquals(3 * 10 * 4, (int) ours[2], "4 tokens of 10 cases on 3 images");
		assertTrue(ours[0] <= MAX_LOGIT_DIFF, "max |logit diff| " + ours[0]);
		// A refinement feeds back our own logits of the first pass, so float differences compound
		// (measured 1.27e-4 with the official export of the same weights too). Our decoder's cross
		// attentions compute the same sums in another order (the image is never projected), which
		// rounds differently: 1.66e-4 measured. Held to 1.5 x what the official export's own rounding gives.
		assertTrue(ours[1] <= 1.5 * export[1], "max |logit diff| after a refinement " + ours[1] + ", official export "
			+ export[1]);
	}

	/** {max over first prompts, max over refinements (fed our own previous logits), masks compared}. */
	static double[] maxLogitDifference(Path model) throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		double[] out = new double[3];
		try (SamModel m = Models.load(ModelSource.folder(model), ExecutionOptions.cpu().withThreads(2))) {
			SamPredictor predictor = new SamPredictor(m);
			for (String image : OfficialSam2FidelityTest.IMAGES) {
				JsonObject ref = OfficialSam2FidelityTest.read(fixture.resolve("reference/" + image + ".json"));
				ImagePlus imp = ImageFiles.open(fixture.resolve("reference/" + image + ".png"));
				SamImage img = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(m.spec()));
				ImageEmbedding emb = predictor.embed(img);
				Map<String, List<MaskCandidate>> multimask = new HashMap<>();
				for (JsonElement e : ref.getAsJsonObject("predictor").getAsJsonArray("cases")) {
					JsonObject c = e.getAsJsonObject();
					boolean multi = c.get("multimask_output").getAsBoolean();
					boolean refined = c.get("mask_input_from") != null && !c.get("mask_input_from").isJsonNull();
					Prompt prompt = OfficialSam2FidelityTest.prompt(c, multimask);
					Segmentation s = predictor.segment(emb, prompt, multi ? MaskSelection.ALL : MaskSelection.SINGLE);
					if (multi) multimask.put(c.get("name").getAsString(), s.selected());
					JsonArray sample = c.getAsJsonObject("decoder_raw").getAsJsonObject("low_res_masks")
						.getAsJsonArray("sample");
					assertEquals(4, s.candidates().size(), "all four tokens decoded");
					for (MaskCandidate cand : s.candidates()) {
						float[] logits = cand.lowRes().logits();
						int n = cand.lowRes().size();
						JsonArray rows = sample.get(cand.token()).getAsJsonArray();
						for (int i = 0; i < 16; i++)
							for (int j = 0; j < 16; j++) {
								double official = rows.get(i).getAsJsonArray().get(j).getAsDouble();
								double d = Math.abs(logits[(8 + 16 * i) * n + 8 + 16 * j] - official) / Math.max(1, Math
									.abs(official));
								out[refined ? 1 : 0] = Math.max(out[refined ? 1 : 0], d);
							}
						out[2]++;
					}
				}
			}
		}
		return out;
	}
}
