package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Preprocessor;
import org.fijisam.core.Prompt;
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
 * "With no flags, SAM 2 models give the official masks": a tiny random-weight SAM 2.1 built from
 * the official sam2 classes (fixtures/sam2-tiny, made by training/fixtures/make_sam2_fixtures.py)
 * must reproduce the official SAM2ImagePredictor's masks, scores and single-mask choices on 8-bit
 * RGB images of three shapes (wide, tall, small), loaded through Models.load with the model's
 * own preprocessing.
 */
class OfficialSam2FidelityTest {

	static final String[] IMAGES = { "blobs_1272x603", "blobs_300x700", "blobs_200x150" };

	@Test
	void noFlagsGiveTheOfficialMasksAndScores() throws Exception {
		Path fixture = Fixtures.folder("sam2-tiny");
		double[] inputDiff = new double[1];
		Agreement a = compare(fixture, fixture, inputDiff, true);
		System.out.println(String.format(Locale.ROOT, "official SAM 2 fidelity: %s; preprocessed input max |diff| %.2e",
			a, inputDiff[0]));
		assertEquals(60, a.masks, "5 prompts x multimask on/off x 3 images: 3 + 1 masks each");
		assertTrue(inputDiff[0] < 1e-4, "preprocessed input differs by " + inputDiff[0]);
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	/**
	 * The resize is checked on the model input, not through the masks: this random model's masks
	 * hardly notice a float bilinear resize without antialiasing (measured: IoU min 0.9997, scores
	 * unchanged), but the recorded samples of the official model input do (the 1272-wide image is
	 * shrunk).
	 */
	@Test
	void theFixtureTellsTheResizesApart(@TempDir Path tmp) throws Exception {
		Path src = Fixtures.folder("sam2-tiny");
		Path copy = tmp.resolve("sam2-tiny-bilinear");
		Files.createDirectories(copy);
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(src.resolve(f), copy.resolve(f));
		String json = Files.readString(src.resolve("sam.json"), StandardCharsets.UTF_8).replace("\"antialiased\"",
			"\"bilinear\"");
		Files.writeString(copy.resolve("sam.json"), json, StandardCharsets.UTF_8);
		double[] inputDiff = new double[1];
		Agreement a = compare(copy, src, inputDiff, false);
		System.out.println(String.format(Locale.ROOT, "SAM 2 with a float bilinear resize instead of the antialiased " +
			"one: %s; preprocessed input max |diff| %.2e", a, inputDiff[0]));
		assertTrue(inputDiff[0] > 1e-3, "the input samples tell the resizes apart: " + inputDiff[0]);
	}

	/**
	 * Every reference case with the model in {@code model}, images and references from
	 * {@code fixture}; {@code exact}: also require the official token choices and decoder inputs.
	 */
	static Agreement compare(Path model, Path fixture, double[] inputDiff, boolean exact) throws Exception {
		Agreement a = new Agreement();
		try (SamModel m = Models.load(ModelSource.folder(model), ExecutionOptions.cpu().withThreads(2))) {
			SamPredictor predictor = new SamPredictor(m);
			for (String image : IMAGES) {
				JsonObject ref = read(fixture.resolve("reference/" + image + ".json"));
				ImagePlus imp = ImageFiles.open(fixture.resolve("reference/" + image + ".png"));
				// Exactly what the CLI and Fiji do with no --normalize: "auto", as the model expects.
				SamImage img = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(m.spec()));
				inputDiff[0] = Math.max(inputDiff[0], preprocessedInputDifference(m, img, ref));
				ImageEmbedding emb = predictor.embed(img);
				Map<String, List<MaskCandidate>> multimask = new HashMap<>();
				for (JsonElement e : ref.getAsJsonObject("predictor").getAsJsonArray("cases")) {
					JsonObject c = e.getAsJsonObject();
					String name = c.get("name").getAsString();
					boolean multi = c.get("multimask_output").getAsBoolean();
					Prompt prompt = prompt(c, multimask);
					if (exact) checkDecoderInputs(c, prompt, emb, m);
					Segmentation s = predictor.segment(emb, prompt, multi ? MaskSelection.ALL : MaskSelection.SINGLE);
					if (multi) multimask.put(name, s.selected());
					JsonArray tokens = c.getAsJsonArray("selected_tokens"), ious = c.getAsJsonArray("iou_predictions"),
						masks = c.getAsJsonArray("masks");
					String what = image + "/" + name + "/multimask=" + multi;
					assertEquals(tokens.size(), s.selected().size(), what);
					for (int i = 0; i < tokens.size(); i++) {
						MaskCandidate cand = s.selected().get(i);
						if (exact) assertEquals(tokens.get(i).getAsInt(), cand.token(), what + ": the official choice of token");
						BinaryMask official = rle(masks.get(i).getAsJsonObject()), ours = s.mask(cand);
						assertEquals(c.getAsJsonArray("mask_area").get(i).getAsInt(), official.area(), what + ": RLE decoding");
						double iou = iou(ours, official);
						if (iou < 1 && exact) System.out.println(String.format(Locale.ROOT, "%s/token %d: IoU %.6f, %d of %d pixels " +
							"differ (official area %d)", what, cand.token(), iou, differing(ours, official), official.area() > 0 ?
								ours.width() * ours.height() : 0, official.area()));
						a.add(what + "/token " + cand.token(), iou, Math.abs(cand.predictedIou() - ious.get(i).getAsDouble()));
					}
				}
			}
		}
		return a;
	}

	/** IoU, 1 when both masks are empty (the random model gives several empty masks; identical is identical). */
	static double iou(BinaryMask a, BinaryMask b) {
		return a.area() == 0 && b.area() == 0 ? 1 : a.iou(b);
	}

	static long differing(BinaryMask a, BinaryMask b) {
		byte[] x = a.data(), y = b.data();
		long n = 0;
		for (int i = 0; i < x.length; i++)
			if (x[i] != y[i]) n++;
		return n;
	}

	/** Largest |ours - official| over the recorded samples of the [3, 1024, 1024] model input. */
	private static double preprocessedInputDifference(SamModel m, SamImage img, JsonObject ref) {
		JsonObject p = ref.getAsJsonObject("preprocessed_input");
		JsonArray at = p.getAsJsonArray("sample_rows_cols"), sample = p.getAsJsonArray("sample");
		float[] input = new Preprocessor(m.spec()).preprocess(img);
		int s = m.spec().inputSize();
		double max = 0;
		for (int c = 0; c < 3; c++)
			for (int i = 0; i < at.size(); i++)
				for (int j = 0; j < at.size(); j++) {
					double official = sample.get(c).getAsJsonArray().get(i).getAsJsonArray().get(j).getAsDouble();
					float ours = input[c * s * s + at.get(i).getAsInt() * s + at.get(j).getAsInt()];
					// 6 significant digits in the reference: compare relative to the magnitude.
					max = Math.max(max, Math.abs(ours - official) / Math.max(1, Math.abs(official)));
				}
		return max;
	}

	/** The points and labels we send equal those the official predictor sent. */
	private static void checkDecoderInputs(JsonObject c, Prompt prompt, ImageEmbedding emb, SamModel m) {
		JsonObject in = c.getAsJsonObject("decoder_inputs");
		DecoderPrompt ours = DecoderPrompt.encode(prompt, emb.geometry(), m.spec().lowResSize(), m.spec().promptEncoding());
		JsonArray coords = in.getAsJsonArray("point_coords"), labels = in.getAsJsonArray("point_labels");
		float[] expCoords = new float[2 * coords.size()], expLabels = new float[labels.size()];
		for (int i = 0; i < labels.size(); i++) {
			expCoords[2 * i] = coords.get(i).getAsJsonArray().get(0).getAsFloat();
			expCoords[2 * i + 1] = coords.get(i).getAsJsonArray().get(1).getAsFloat();
			expLabels[i] = labels.get(i).getAsFloat();
		}
		String what = c.get("name").getAsString();
		assertArrayEquals(expLabels, ours.labels(), what + ": labels (box first, no padding point)");
		assertArrayEquals(expCoords, ours.coords(), 1e-3f, what + ": coordinates in the stretched frame");
		assertEquals(in.get("has_mask_input").getAsFloat() > 0, ours.hasMask(), what);
	}

	static Prompt prompt(JsonObject c, Map<String, List<MaskCandidate>> multimask) {
		JsonObject p = c.getAsJsonObject("prompt");
		Prompt.Builder b = Prompt.builder();
		if (p.has("point_coords")) {
			JsonArray pts = p.getAsJsonArray("point_coords"), labels = p.getAsJsonArray("point_labels");
			for (int i = 0; i < pts.size(); i++) {
				JsonArray xy = pts.get(i).getAsJsonArray();
				b.point(xy.get(0).getAsDouble(), xy.get(1).getAsDouble(), labels.get(i).getAsInt() == 1);
			}
		}
		if (p.has("box")) {
			JsonArray box = p.getAsJsonArray("box");
			b.box(box.get(0).getAsDouble(), box.get(1).getAsDouble(), box.get(2).getAsDouble(), box.get(3).getAsDouble());
		}
		JsonElement from = c.get("mask_input_from");
		if (from != null && !from.isJsonNull()) {
			JsonObject f = from.getAsJsonObject();
			assertTrue(f.get("multimask_output").getAsBoolean(), "refinement from a multimask case");
			// Our unclamped logits: the model's prompt encoding clamps them as the official predict did.
			b.mask(multimask.get(f.get("case").getAsString()).get(f.get("mask_index").getAsInt()).lowRes());
		}
		return b.build();
	}

	static JsonObject read(Path json) throws Exception {
		try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
			return JsonParser.parseReader(r).getAsJsonObject();
		}
	}

	/** COCO uncompressed RLE: column-major, runs alternate background / foreground from background. */
	static BinaryMask rle(JsonObject rle) {
		JsonArray size = rle.getAsJsonArray("size"), counts = rle.getAsJsonArray("counts");
		int h = size.get(0).getAsInt(), w = size.get(1).getAsInt();
		byte[] data = new byte[w * h];
		int at = 0;
		for (int i = 0; i < counts.size(); i++) {
			int n = counts.get(i).getAsInt();
			if (i % 2 == 1)
				for (int k = at; k < at + n; k++)
					data[(k % h) * w + k / h] = 1;
			at += n;
		}
		assertEquals(w * h, at, "run lengths cover the image");
		return new BinaryMask(w, h, data);
	}

	/** Official masks as a list, for other tests. */
	static List<BinaryMask> masks(JsonArray rles) {
		List<BinaryMask> out = new ArrayList<>();
		for (JsonElement e : rles)
			out.add(rle(e.getAsJsonObject()));
		return out;
	}
}
