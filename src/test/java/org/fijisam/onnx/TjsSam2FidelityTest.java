package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.fijisam.Fixtures;
import org.fijisam.core.BinaryMask;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.model.ExportFolder;
import org.fijisam.model.ModelDescriptor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transformers.js SAM 2 download (vision_encoder.onnx + prompt_encoder_mask_decoder.onnx with
 * outputs image_embeddings.0/.1/.2, no sam.json) loads with no flags through the sam2 family and
 * gives the official masks. The fixture (tjs-sam2-tiny, made by
 * training/fixtures/make_tjs_sam2_fixtures.py) is the sam2-tiny fixture's official SAM 2.1
 * checkpoint converted to HF transformers' Sam2Model with HF's key mapping and exported with
 * transformers.js' tensor names; the references are the official SAM2ImagePredictor's
 * (sam2-tiny/reference) and HF Sam2Model's own outputs (tjs-sam2-tiny/reference).
 */
class TjsSam2FidelityTest {

	private static Path folder;

	@BeforeAll
	static void copyTheDownload(@TempDir Path tmp) throws Exception {
		folder = TjsSam1FidelityTest.download(tmp, "tjs-sam2-tiny", "sam2.1-hiera-tiny-ONNX");
	}

	private static SamModel load() throws Exception {
		return Models.load(ModelSource.folder(folder), ExecutionOptions.cpu().withThreads(2));
	}

	@Test
	void aFolderWithoutDescriptorIsRecognisedAsRunnable() throws Exception {
		ExportFolder.Inspection in = ExportFolder.inspect(folder, Models.graphReader());
		assertTrue(in.loadable(), in.summary());
		ModelDescriptor d = ModelDescriptor.parse(in.json, "inspected");
		assertEquals("transformers.js", d.layout);
		assertEquals(ModelDescriptor.SAM2, d.family);
		assertEquals(ModelDescriptor.TRANSFORMERS_JS, d.decoder.promptInterface);
		assertTrue(d.decoder.batchAxis, "the point-batch axis is dynamic");
		assertEquals(3, d.decoder.maskOutputs);
		assertEquals("input_boxes", d.decoder.input("boxes"));
		assertArrayEquals(new int[] { 32, 64, 64 }, d.embeddingShape);
		assertArrayEquals(new int[][] { { 4, 256, 256 }, { 8, 128, 128 } }, d.highResShapes);
		assertEquals(256, d.lowResSize);
	}

	/**
	 * Every ambiguity mask of the official point, point + negative, box and box + point prompts
	 * (multimask), and its score: the bounds of the official SAM 2 fixture. HF Sam2Model is the
	 * official model here (HF vs official in PyTorch: IoU >= 0.99995, scores within 6.2e-7,
	 * recorded in the fixture's reference.json).
	 */
	@Test
	void noFlagsGiveTheOfficialMasksAndScores() throws Exception {
		OfficialSam1FidelityTest.Agreement a = new OfficialSam1FidelityTest.Agreement();
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			for (String image : OfficialSam2FidelityTest.IMAGES)
				for (JsonObject c : officialCases(image)) {
					if (!c.get("multimask_output").getAsBoolean()) continue;
					Segmentation s = images.segment(image, OfficialSam2FidelityTest.prompt(c, null), MaskSelection.ALL);
					compare(a, image + "/" + c.get("name").getAsString(), s, OfficialSam2FidelityTest.masks(c
						.getAsJsonArray("masks")), c.getAsJsonArray("iou_predictions"));
				}
		}
		System.out.println("transformers.js SAM 2 vs official SAM2ImagePredictor: " + a);
		assertEquals(3 * 4 * 3, a.masks, "3 images x (point, point_neg, box, box_point) x 3 masks");
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	/**
	 * The graph has no single-mask token 0: where the official predictor's single mask fell back
	 * to the best ambiguity mask (token 0 unstable), the plugin gives that mask too; where it kept
	 * token 0, the plugin's rule for such decoders gives the best-scored ambiguity mask instead.
	 */
	@Test
	void theSingleMaskIsTheBestScoredAmbiguityMask() throws Exception {
		int fallbacks = 0;
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			for (String image : OfficialSam2FidelityTest.IMAGES)
				for (JsonObject c : officialCases(image)) {
					if (c.get("multimask_output").getAsBoolean()) continue;
					Segmentation one = images.segment(image, OfficialSam2FidelityTest.prompt(c, null), MaskSelection.SINGLE);
					Segmentation all = images.segment(image, OfficialSam2FidelityTest.prompt(c, null), MaskSelection.ALL);
					MaskCandidate best = all.candidates().get(0);
					for (MaskCandidate k : all.candidates())
						if (k.predictedIou() > best.predictedIou()) best = k;
					assertEquals(1, one.selected().size());
					assertEquals(best.token(), one.selected().get(0).token());
					int official = c.getAsJsonArray("selected_tokens").get(0).getAsInt();
					if (official == 0) continue;
					fallbacks++;
					assertEquals(official, one.selected().get(0).token(), image + "/" + c.get("name"));
					double iou = OfficialSam2FidelityTest.iou(one.mask(one.selected().get(0)), OfficialSam2FidelityTest.rle(c
						.getAsJsonArray("masks").get(0).getAsJsonObject()));
					assertTrue(iou >= OfficialSam1FidelityTest.MIN_IOU, image + "/" + c.get("name") + ": " + iou);
				}
		}
		assertTrue(fallbacks > 0, "the fixture has official fallbacks to compare");
	}

	/** The graph against the model it was exported from: HF Sam2Model's outputs in PyTorch. */
	@Test
	void theGraphGivesHfSam2ModelsMasksAndScores() throws Exception {
		OfficialSam1FidelityTest.Agreement a = new OfficialSam1FidelityTest.Agreement();
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			JsonObject ref = OfficialSam2FidelityTest.read(Fixtures.folder("tjs-sam2-tiny").resolve(
				"reference/reference.json"));
			for (JsonElement e : ref.getAsJsonArray("cases")) {
				JsonObject c = e.getAsJsonObject();
				String image = c.get("image").getAsString();
				Segmentation s = images.segment(image, OfficialSam2FidelityTest.prompt(c, null), MaskSelection.ALL);
				compare(a, image + "/" + c.get("name").getAsString(), s, OfficialSam2FidelityTest.masks(c.getAsJsonArray(
					"masks")), c.getAsJsonArray("iou_scores"));
			}
		}
		System.out.println("transformers.js SAM 2 vs HF Sam2Model: " + a);
		assertEquals(3 * 4 * 3, a.masks);
		assertTrue(a.minIou >= 0.9999, a.toString());
		assertTrue(a.maxScoreDiff <= 1e-5, a.toString());
	}

	@Test
	void maskPromptsAreRefusedSayingWhatToUseInstead() throws Exception {
		try (SamModel m = load()) {
			SamPredictor p = new SamPredictor(m);
			ImageEmbedding e = p.embed(Fixtures.grey(200, 150, 120));
			Segmentation first = p.segment(e, Prompt.point(100, 75), MaskSelection.AUTO);
			InvalidPromptException mask = assertThrows(InvalidPromptException.class, () -> p.segment(e, first.refine()
				.withPoint(60, 40, true), MaskSelection.AUTO));
			assertTrue(mask.getMessage().contains("mask prompt") && mask.getMessage().contains("transformers.js") && mask
				.getMessage().contains("sam-cli models convert --family sam2"), mask.getMessage());
			assertEquals(3, p.segment(e, Prompt.box(20, 30, 120, 100), MaskSelection.ALL).candidates().size(),
				"boxes are taken");
		}
	}

	/**
	 * Prompts with the same number of points run together along the graph's point-batch axis; a
	 * box and a click (3 points in SAM 2's encoding) and three clicks go in separate runs.
	 */
	@Test
	void batchedPromptsGiveWhatEachGivesAlone() throws Exception {
		try (SamModel m = load()) {
			assertTrue(m.batchedDecoder());
			FixtureImages images = images(m);
			ImageEmbedding e = images.embedding("blobs_1272x603");
			List<Prompt> prompts = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				prompts.add(Prompt.builder().foreground(100 + 200 * i, 300).background(150 + 200 * i, 250)
					.foreground(120 + 200 * i, 320).build());
				prompts.add(Prompt.builder().box(50 + 200 * i, 200, 250 + 200 * i, 400).foreground(150 + 200 * i, 300)
					.build());
			}
			prompts.add(Prompt.point(600, 200));
			prompts.add(Prompt.box(100, 100, 500, 500));
			TjsSam1FidelityTest.assertBatchedAsAlone(images.predictor, e, prompts);
		}
	}

	/** Segment everything decodes single points, batched: the three ambiguity masks of each. */
	@Test
	void segmentEverythingRuns() throws Exception {
		try (SamModel m = load()) {
			TjsSam1FidelityTest.assertSegmentEverythingGivesThreeMasksAPoint(m, images(m).image("blobs_200x150"));
		}
	}

	private static void compare(OfficialSam1FidelityTest.Agreement a, String what, Segmentation s,
		List<BinaryMask> masks, JsonArray scores)
	{
		List<MaskCandidate> ours = s.candidates();
		assertEquals(3, ours.size(), what);
		for (int i = 0; i < 3; i++) {
			MaskCandidate cand = ours.get(i);
			assertEquals(i + 1, cand.token(), "tokens 1..3 in order");
			a.add(what + "/token " + cand.token(), OfficialSam2FidelityTest.iou(s.mask(cand), masks.get(i)), Math.abs(cand
				.predictedIou() - scores.get(i).getAsDouble()));
		}
	}

	private static List<JsonObject> officialCases(String image) throws Exception {
		JsonObject ref = OfficialSam2FidelityTest.read(Fixtures.folder("sam2-tiny").resolve("reference/" + image +
			".json"));
		List<JsonObject> out = new ArrayList<>();
		for (JsonElement e : ref.getAsJsonObject("predictor").getAsJsonArray("cases")) {
			JsonObject c = e.getAsJsonObject();
			// The graph has no mask input: refinement is refused (maskPromptsAreRefused...).
			if (c.get("mask_input_from").isJsonNull()) out.add(c);
		}
		return out;
	}

	private static FixtureImages images(SamModel m) {
		return new FixtureImages(m, Fixtures.folder("sam2-tiny").resolve("reference"));
	}
}
