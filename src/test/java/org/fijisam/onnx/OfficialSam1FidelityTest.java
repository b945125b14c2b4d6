package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;

import org.fijisam.Fixtures;
import org.fijisam.core.BinaryMask;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "With no flags, SAM 1 models give the official masks": a tiny random-weight SAM built from the
 * official segment-anything classes and exported the official way (fixtures/sam1-tiny, made by
 * training/fixtures/make_sam1_fixtures.py) must reproduce the official SamPredictor's masks and
 * scores on 8-bit RGB images, through the normal loader and the model's default preprocessing.
 */
class OfficialSam1FidelityTest {

	static final double MIN_IOU = 0.999;
	static final double MAX_SCORE_DIFF = 1e-4;

	/** Per-mask agreement over all cases. */
	static final class Agreement {
		double minIou = 1, sumIou;
		double maxScoreDiff, sumScoreDiff;
		int masks;
		String worst = "";

		void add(String what, double iou, double scoreDiff) {
			if (iou < minIou) worst = what;
			minIou = Math.min(minIou, iou);
			sumIou += iou;
			maxScoreDiff = Math.max(maxScoreDiff, scoreDiff);
			sumScoreDiff += scoreDiff;
			masks++;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d masks: IoU min %.5f mean %.5f (worst %s); |score diff| max %.2e mean %.2e",
				masks, minIou, sumIou / masks, worst, maxScoreDiff, sumScoreDiff / masks);
		}
	}

	@Test
	void noFlagsGiveTheOfficialMasksAndScores() throws Exception {
		Agreement a = compare(Fixtures.folder("sam1-tiny"));
		System.out.println("official SAM 1 fidelity: " + a);
		// 30 cases: 15 with three ambiguity masks, 15 with the single mask.
		assertEquals(15 * 3 + 15, a.masks, "every reference mask was compared");
		assertTrue(a.minIou >= MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= MAX_SCORE_DIFF, a.toString());
	}

	/** The fixture is sharp enough to see the resize: without Pillow's filter the masks move. */
	@Test
	void theFixtureTellsTheResizesApart(@TempDir Path tmp) throws Exception {
		Path src = Fixtures.folder("sam1-tiny");
		Path copy = tmp.resolve("sam1-tiny-bilinear");
		Files.createDirectories(copy);
		for (String f : new String[] { "encoder.onnx", "decoder.onnx" })
			Files.copy(src.resolve(f), copy.resolve(f));
		String json = Files.readString(src.resolve("sam.json"), StandardCharsets.UTF_8).replaceFirst("\"low_res_size\"",
			"\"preprocessing\": {\"resize\": \"bilinear\"}, \"low_res_size\"");
		Files.writeString(copy.resolve("sam.json"), json, StandardCharsets.UTF_8);
		Agreement a = compare(copy, src);
		System.out.println("float bilinear resize instead of Pillow's: " + a);
		assertTrue(a.minIou < MIN_IOU || a.maxScoreDiff > MAX_SCORE_DIFF, a.toString());
	}

	private static Agreement compare(Path model) throws Exception {
		return compare(model, model);
	}

	/** Runs every reference case with the model in {@code model}, reading images and references from {@code fixture}. */
	static Agreement compare(Path model, Path fixture) throws Exception {
		JsonObject ref;
		try (Reader r = Files.newBufferedReader(fixture.resolve("reference/reference.json"), StandardCharsets.UTF_8)) {
			ref = JsonParser.parseReader(r).getAsJsonObject();
		}
		Agreement agreement = new Agreement();
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.folder(model), ExecutionOptions.cpu().withThreads(2))) {
			SamPredictor predictor = new SamPredictor(m);
			Map<String, ImageEmbedding> embeddings = new HashMap<>();
			// The multimask outputs of each image's lone point, for the refinement cases.
			Map<String, List<MaskCandidate>> lonePoint = new HashMap<>();
			for (JsonElement e : ref.getAsJsonArray("cases")) {
				JsonObject c = e.getAsJsonObject();
				String image = c.get("image").getAsString(), kind = c.get("kind").getAsString();
				boolean multi = c.get("multimask").getAsBoolean();
				ImageEmbedding emb = embeddings.get(image);
				if (emb == null) {
					ImagePlus imp = ImageFiles.open(fixture.resolve("images/" + image + ".png"));
					// Exactly what the CLI and Fiji do with no --normalize: "auto", as the model expects.
					SamImage img = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(m.spec()));
					emb = predictor.embed(img);
					embeddings.put(image, emb);
				}
				Prompt prompt = prompt(c.getAsJsonObject("prompt"), lonePoint.get(image));
				Segmentation s = predictor.segment(emb, prompt, multi ? MaskSelection.ALL : MaskSelection.SINGLE);
				if (kind.equals("point") && multi) lonePoint.put(image, s.candidates());
				JsonArray tokens = c.getAsJsonArray("tokens"), ious = c.getAsJsonArray("iou_predictions"),
					masks = c.getAsJsonArray("masks");
				int h = c.get("height").getAsInt(), w = c.get("width").getAsInt();
				for (int i = 0; i < tokens.size(); i++) {
					MaskCandidate cand = byToken(s.candidates(), tokens.get(i).getAsInt());
					BinaryMask official = decode(masks.get(i).getAsJsonArray(), w, h);
					BinaryMask ours = s.mask(cand);
					// Two empty masks agree (a random-weight model may give some).
					double iou = ours.area() == 0 && official.area() == 0 ? 1 : ours.iou(official);
					agreement.add(image + "/" + kind + "/multimask=" + multi + "/token " + cand.token(), iou,
						Math.abs(cand.predictedIou() - ious.get(i).getAsDouble()));
				}
			}
		}
		return agreement;
	}

	static Prompt prompt(JsonObject p, List<MaskCandidate> lonePoint) {
		Prompt.Builder b = Prompt.builder();
		if (p.has("points")) {
			JsonArray pts = p.getAsJsonArray("points"), labels = p.getAsJsonArray("labels");
			for (int i = 0; i < pts.size(); i++) {
				JsonArray xy = pts.get(i).getAsJsonArray();
				b.point(xy.get(0).getAsDouble(), xy.get(1).getAsDouble(), labels.get(i).getAsInt() == 1);
			}
		}
		if (p.has("box")) {
			JsonArray box = p.getAsJsonArray("box");
			b.box(box.get(0).getAsDouble(), box.get(1).getAsDouble(), box.get(2).getAsDouble(), box.get(3).getAsDouble());
		}
		if (p.has("mask_from")) {
			// The official refinement feeds back the logits of the best-scored multimask output.
			int token = p.getAsJsonObject("mask_from").get("token").getAsInt();
			b.mask(byToken(lonePoint, token).lowRes());
		}
		return b.build();
	}

	private static MaskCandidate byToken(List<MaskCandidate> candidates, int token) {
		for (MaskCandidate c : candidates)
			if (c.token() == token) return c;
		throw new AssertionError("no output for mask token " + token + " among " + candidates.size());
	}

	/** Row-major run lengths, first run of zeros (see the generator). */
	static BinaryMask decode(JsonArray runs, int w, int h) {
		byte[] data = new byte[w * h];
		int at = 0;
		for (int i = 0; i < runs.size(); i++) {
			int n = runs.get(i).getAsInt();
			if (i % 2 == 1) java.util.Arrays.fill(data, at, at + n, (byte) 1);
			at += n;
		}
		assertEquals(w * h, at, "run lengths cover the image");
		return new BinaryMask(w, h, data);
	}
}
