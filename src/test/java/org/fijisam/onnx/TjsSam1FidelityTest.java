package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.Fixtures;
import org.fijisam.core.BinaryMask;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
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
 * A transformers.js SAM 1 download (vision_encoder.onnx + prompt_encoder_mask_decoder.onnx, no
 * sam.json) loads with no flags and gives the official masks. The fixture (tjs-sam1-tiny, made
 * by training/fixtures/make_tjs_fixtures.py) is the sam1-tiny fixture's official model converted
 * to HF transformers' SamModel with HF's key mapping and exported as optimum exports it; the
 * references are the official SamPredictor's (sam1-tiny/reference) and HF SamModel's own outputs
 * (tjs-sam1-tiny/reference).
 */
class TjsSam1FidelityTest {

	/**
	 * Against HF SamModel (what the graph computes): the same bounds as the official fixtures'.
	 * Against the official predictor the scores are within 1e-4 too, and the masks within IoU 0.999:
	 * HF's own model differs from the official one by its two-way transformer's LayerNorm epsilon
	 * (1e-6 where the official code has PyTorch's default 1e-5), which moves a few boundary pixels
	 * (HF vs official in PyTorch: IoU down to 0.99966 on these cases, 1.0 with the epsilon set to
	 * 1e-5; recorded in the fixture's reference.json).
	 */
	static final double MIN_IOU = 0.999, MAX_SCORE_DIFF = 1e-4;

	private static Path folder;

	@BeforeAll
	static void copyTheDownload(@TempDir Path tmp) throws Exception {
		folder = download(tmp, "tjs-sam1-tiny", "slimsam-tiny");
	}

	/** The two graphs of a transformers.js fixture in a fresh folder: loading one without sam.json writes one. */
	static Path download(Path tmp, String fixture, String name) throws Exception {
		Path folder = tmp.resolve(name);
		Files.createDirectories(folder);
		for (String f : new String[] { "vision_encoder.onnx", "prompt_encoder_mask_decoder.onnx" })
			Files.copy(Fixtures.folder(fixture).resolve(f), folder.resolve(f));
		return folder;
	}

	private static SamModel load() throws Exception {
		return Models.load(ModelSource.folder(folder), ExecutionOptions.cpu().withThreads(2));
	}

	@Test
	void aFolderWithoutDescriptorIsRecognisedAsRunnable() throws Exception {
		ExportFolder.Inspection in = ExportFolder.inspect(folder, Models.graphReader());
		assertTrue(in.loadable(), in.summary());
		assertTrue(in.summary().contains("loadable: yes"), in.summary());
		ModelDescriptor d = ModelDescriptor.parse(in.json, "inspected");
		assertEquals("transformers.js", d.layout);
		assertEquals("sam1", d.family);
		assertEquals(ModelDescriptor.TRANSFORMERS_JS, d.decoder.promptInterface);
		assertTrue(d.decoder.batchAxis, "the point-batch axis is dynamic");
		assertEquals(3, d.decoder.maskOutputs);
		assertEquals("input_labels", d.decoder.input("point_labels"));
		assertEquals("image_positional_embeddings", d.encoder.output("image_positional_embeddings"));
		assertArrayEquals(new int[] { 32, 64, 64 }, d.embeddingShape);
		assertEquals(256, d.lowResSize);
		assertEquals(null, d.preprocessing, "SAM 1's pipeline, as HF's SamImageProcessor");
	}

	/** Every ambiguity mask of the official point prompts, and its score. */
	@Test
	void noFlagsGiveTheOfficialMasksAndScoresOfPointPrompts() throws Exception {
		OfficialSam1FidelityTest.Agreement a = new OfficialSam1FidelityTest.Agreement();
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			for (JsonObject c : cases(Fixtures.folder("sam1-tiny"))) {
				String kind = c.get("kind").getAsString();
				if (!c.get("multimask").getAsBoolean() || !kind.startsWith("point")) continue;
				Segmentation s = segment(images, c, MaskSelection.ALL);
				compare(a, c, s.candidates(), c.getAsJsonArray("iou_predictions"), s);
			}
		}
		System.out.println("transformers.js SAM 1 vs official SamPredictor: " + a);
		assertEquals(6 * 3, a.masks, "3 images x (point, point + negative) x 3 masks");
		assertTrue(a.minIou >= MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= MAX_SCORE_DIFF, a.toString());
	}

	/** The graph against the model it was exported from: HF SamModel's outputs in PyTorch. */
	@Test
	void theGraphGivesHfSamModelsMasksAndScores() throws Exception {
		OfficialSam1FidelityTest.Agreement a = new OfficialSam1FidelityTest.Agreement();
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			for (JsonObject c : cases(Fixtures.folder("tjs-sam1-tiny"))) {
				Segmentation s = segment(images, c, MaskSelection.ALL);
				compare(a, c, s.candidates(), c.getAsJsonArray("iou_scores"), s);
			}
		}
		System.out.println("transformers.js SAM 1 vs HF SamModel: " + a);
		assertEquals(6 * 3, a.masks);
		assertTrue(a.minIou >= 0.9999, a.toString());
		assertTrue(a.maxScoreDiff <= 1e-6, a.toString());
	}

	/**
	 * The graph has no single-mask token: where SAM would take it (several points; AUTO and
	 * SINGLE), the plugin's rule for such decoders takes the best-scored ambiguity mask.
	 */
	@Test
	void theSingleMaskIsTheBestScoredAmbiguityMask() throws Exception {
		try (SamModel m = load()) {
			FixtureImages images = images(m);
			for (JsonObject c : cases(Fixtures.folder("tjs-sam1-tiny"))) {
				Segmentation all = segment(images, c, MaskSelection.ALL);
				MaskCandidate best = all.candidates().stream().max(Comparator.comparingDouble(
					MaskCandidate::predictedIou)).get();
				for (MaskSelection how : new MaskSelection[] { MaskSelection.AUTO, MaskSelection.SINGLE }) {
					Segmentation one = segment(images, c, how);
					assertEquals(1, one.selected().size());
					assertEquals(best.token(), one.selected().get(0).token(), c.get("kind") + " " + how);
				}
			}
		}
	}

	@Test
	void boxesAndMaskPromptsAreRefusedSayingWhatToUseInstead() throws Exception {
		try (SamModel m = load()) {
			SamPredictor p = new SamPredictor(m);
			ImageEmbedding e = p.embed(Fixtures.grey(200, 150, 120));
			InvalidPromptException box = assertThrows(InvalidPromptException.class, () -> p.segment(e, Prompt.box(20,
				30, 120, 100), MaskSelection.AUTO));
			assertTrue(box.getMessage().startsWith("A box cannot be used") && box.getMessage().contains(
				"transformers.js") && box.getMessage().contains("sam-cli models convert"), box.getMessage());
			Segmentation first = p.segment(e, Prompt.point(100, 75), MaskSelection.AUTO);
			InvalidPromptException mask = assertThrows(InvalidPromptException.class, () -> p.segment(e, first.refine()
				.withPoint(60, 40, true), MaskSelection.AUTO));
			assertTrue(mask.getMessage().contains("mask prompt") && mask.getMessage().contains("points"), mask
				.getMessage());
		}
	}

	/** Prompts with the same number of points run together along the graph's point-batch axis. */
	@Test
	void batchedPromptsGiveWhatEachGivesAlone() throws Exception {
		try (SamModel m = load()) {
			assertTrue(m.batchedDecoder());
			SamPredictor p = new SamPredictor(m);
			ImageEmbedding e = p.embed(images(m).image("wide"));
			List<Prompt> prompts = new ArrayList<>();
			for (int i = 0; i < 5; i++)
				prompts.add(Prompt.builder().foreground(100 + 200 * i, 300).background(150 + 200 * i, 250).build());
			prompts.add(Prompt.point(600, 200));
			assertBatchedAsAlone(p, e, prompts);
		}
	}

	/** Each prompt's three low-res masks, decoded with all {@code prompts}, equal those it gives alone. */
	static void assertBatchedAsAlone(SamPredictor p, ImageEmbedding e, List<Prompt> prompts) throws Exception {
		List<Segmentation> together = p.segment(e, prompts, MaskSelection.ALL);
		for (int i = 0; i < prompts.size(); i++) {
			Segmentation alone = p.segment(e, prompts.get(i), MaskSelection.ALL);
			for (int k = 0; k < 3; k++) {
				float[] a = alone.candidates().get(k).lowRes().logits(), b = together.get(i).candidates().get(k).lowRes()
					.logits();
				double max = 0;
				for (int j = 0; j < a.length; j++)
					max = Math.max(max, Math.abs(a[j] - b[j]));
				assertTrue(max < 1e-4, "prompt " + i + " mask " + k + ": " + max);
			}
		}
	}

	/** Segment everything decodes single points, batched: the three ambiguity masks of each. */
	@Test
	void segmentEverythingRuns() throws Exception {
		try (SamModel m = load()) {
			assertSegmentEverythingGivesThreeMasksAPoint(m, images(m).image("small"));
		}
	}

	static void assertSegmentEverythingGivesThreeMasksAPoint(SamModel m, SamImage image) throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(4).withPredIouThresh(0).withStabilityScoreThresh(0);
		AmgResult r = new AutoMaskGenerator(new SamPredictor(m), p).generate(image);
		assertEquals(16 * 3, r.timings().candidates(), "3 masks per point");
		assertFalse(r.masks().isEmpty());
	}

	/** The embedding holds both image tensors the decoder takes, and the disk cache keeps them. */
	@Test
	void theEmbeddingCacheKeepsBothImageTensors(@TempDir Path cacheDir) throws Exception {
		try (SamModel m = load()) {
			SamImage img = Fixtures.grey(120, 90, 80);
			ImageEmbedding e = new SamPredictor(m, new EmbeddingCache(64L << 20, cacheDir)).embed(img);
			assertEquals(Arrays.asList("image_embeddings", "image_positional_embeddings"), names(e));
			SamPredictor fresh = new SamPredictor(m, new EmbeddingCache(64L << 20, cacheDir));
			ImageEmbedding back = fresh.embed(img);
			assertEquals(1, fresh.cache().diskHits(), "read from disk");
			for (String n : names(e))
				assertArrayEquals(e.tensor(n).data(), back.tensor(n).data(), n);
			Prompt click = Prompt.point(60, 45);
			assertArrayEquals(new SamPredictor(m).segment(e, click, MaskSelection.AUTO).bestMask().data(), fresh
				.segment(back, click, MaskSelection.AUTO).bestMask().data());
		}
	}

	private static List<String> names(ImageEmbedding e) {
		List<String> out = new ArrayList<>();
		e.tensors().forEach(t -> out.add(t.name()));
		return out;
	}

	private static void compare(OfficialSam1FidelityTest.Agreement a, JsonObject c, List<MaskCandidate> ours,
		JsonArray scores, Segmentation s)
	{
		JsonArray masks = c.getAsJsonArray("masks");
		int h = c.get("height").getAsInt(), w = c.get("width").getAsInt();
		assertEquals(3, ours.size());
		for (int i = 0; i < 3; i++) {
			MaskCandidate cand = ours.get(i);
			assertEquals(i + 1, cand.token(), "tokens 1..3 in order");
			BinaryMask want = OfficialSam1FidelityTest.decode(masks.get(i).getAsJsonArray(), w, h);
			BinaryMask have = s.mask(cand);
			double iou = have.area() == 0 && want.area() == 0 ? 1 : have.iou(want);
			a.add(c.get("image").getAsString() + "/" + c.get("kind").getAsString() + "/token " + cand.token(), iou, Math
				.abs(cand.predictedIou() - scores.get(i).getAsDouble()));
		}
	}

	private static List<JsonObject> cases(Path fixture) throws Exception {
		JsonObject ref;
		try (Reader r = Files.newBufferedReader(fixture.resolve("reference/reference.json"), StandardCharsets.UTF_8)) {
			ref = JsonParser.parseReader(r).getAsJsonObject();
		}
		List<JsonObject> out = new ArrayList<>();
		for (JsonElement e : ref.getAsJsonArray("cases"))
			out.add(e.getAsJsonObject());
		return out;
	}

	private static FixtureImages images(SamModel m) {
		return new FixtureImages(m, Fixtures.folder("sam1-tiny").resolve("images"));
	}

	/** A fixture case's prompt on its image. */
	private static Segmentation segment(FixtureImages images, JsonObject c, MaskSelection how) throws Exception {
		return images.segment(c.get("image").getAsString(), OfficialSam1FidelityTest.prompt(c.getAsJsonObject("prompt"),
			null), how);
	}
}
