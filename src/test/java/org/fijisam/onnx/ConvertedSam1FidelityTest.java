package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint saved by the official segment-anything code (fixtures/convert, the weights of the
 * sam1-tiny fixture), converted in Java through the tiny template (made from our own PyTorch
 * implementation), must give the official SamPredictor's masks and scores, through both the
 * official-interface decoder and the batch decoder, and the same low-resolution logits as the
 * official ONNX export of the same weights.
 */
class ConvertedSam1FidelityTest {

	static final double MAX_LOGIT_DIFF = 1e-4;

	static Path convert(String checkpoint, Path tmp) throws Exception {
		Path model = tmp.resolve("converted");
		CheckpointConversion.convert(Fixtures.folder("convert").resolve(checkpoint), "sam1", "tiny", model,
			ProgressListener.NONE);
		return model;
	}

	@Test
	void convertedCheckpointGivesTheOfficialMasks(@TempDir Path tmp) throws Exception {
		Path model = convert("sam1-tiny.pt", tmp);
		OfficialSam1FidelityTest.Agreement a = OfficialSam1FidelityTest.compare(model, Fixtures.folder("sam1-tiny"));
		// Prompts without a mask went through decoder_batch_no_mask, mask refinements through decoder_batch.
		System.out.println("converted SAM 1 (batch decoders): " + a);
		assertEquals(15 * 3 + 15, a.masks, "every reference mask was compared");
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());

		// decoder_batch.onnx for every prompt, as a model without the mask-free graph uses it.
		Path masked = copyWithout(model, tmp.resolve("masked"), "batch_decoder_no_mask");
		try (OnnxSamModel routed = OnnxSamModel.load(ModelSource.folder(model), ExecutionOptions.cpu());
			OnnxSamModel plain = OnnxSamModel.load(ModelSource.folder(masked), ExecutionOptions.cpu()))
		{
			assertTrue(((OnnxMaskDecoder) routed.decoder()).routesMaskless(), "the converted model has both graphs");
			assertTrue(!((OnnxMaskDecoder) plain.decoder()).routesMaskless());
		}
		OfficialSam1FidelityTest.Agreement m = OfficialSam1FidelityTest.compare(masked, Fixtures.folder("sam1-tiny"));
		System.out.println("converted SAM 1 (batch decoder with the mask path): " + m);
		assertEquals(15 * 3 + 15, m.masks);
		assertTrue(m.minIou >= OfficialSam1FidelityTest.MIN_IOU, m.toString());
		assertTrue(m.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, m.toString());

		// The official-interface decoder alone (decoder.onnx with orig_im_size), as a model
		// without the batch decoder uses it.
		Path single = copyWithout(model, tmp.resolve("single"), "batch_decoder", "batch_decoder_no_mask");
		OfficialSam1FidelityTest.Agreement b = OfficialSam1FidelityTest.compare(single, Fixtures.folder("sam1-tiny"));
		System.out.println("converted SAM 1 (official decoder): " + b);
		assertTrue(b.minIou >= OfficialSam1FidelityTest.MIN_IOU, b.toString());
		assertTrue(b.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, b.toString());
	}

	/** A copy of a model folder whose sam.json lacks the given sections. */
	private static Path copyWithout(Path model, Path copy, String... sections) throws Exception {
		Files.createDirectories(copy);
		try (var files = Files.list(model)) {
			for (Path f : (Iterable<Path>) files::iterator)
				Files.copy(f, copy.resolve(f.getFileName()));
		}
		JsonObject d = JsonParser.parseString(Files.readString(copy.resolve("sam.json"))).getAsJsonObject();
		for (String s : sections)
			d.remove(s);
		Files.writeString(copy.resolve("sam.json"), d.toString());
		return copy;
	}

	@Test
	void microSamLayoutConvertsToTheSameModel(@TempDir Path tmp) throws Exception {
		Path model = convert("sam1-tiny-microsam.pt", tmp);
		OfficialSam1FidelityTest.Agreement a = OfficialSam1FidelityTest.compare(model, Fixtures.folder("sam1-tiny"));
		System.out.println("converted micro-sam layout: " + a);
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	/**
	 * MobileSAM (TinyViT encoder): a tiny checkpoint saved by the official mobile_sam classes,
	 * against the official mobile_sam SamPredictor's masks (fixtures/convert/mobilesam-tiny).
	 */
	@Test
	void convertedMobileSamGivesTheOfficialMasks(@TempDir Path tmp) throws Exception {
		Path model = tmp.resolve("converted");
		CheckpointConversion.convert(Fixtures.folder("convert").resolve("mobilesam-tiny.pt"), "sam1", "tiny_t", model,
			ProgressListener.NONE);
		OfficialSam1FidelityTest.Agreement a = OfficialSam1FidelityTest.compare(model, Fixtures.folder("convert")
			.resolve("mobilesam-tiny"));
		System.out.println("converted MobileSAM: " + a);
		assertEquals(4 * 3 + 4, a.masks, "every reference mask was compared");
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	@Test
	void logitsEqualTheOfficialExport(@TempDir Path tmp) throws Exception {
		Path model = convert("sam1-tiny.pt", tmp);
		Path fixture = Fixtures.folder("sam1-tiny");
		JsonObject ref;
		try (Reader r = Files.newBufferedReader(fixture.resolve("reference/reference.json"), StandardCharsets.UTF_8)) {
			ref = JsonParser.parseReader(r).getAsJsonObject();
		}
		double max = 0;
		int compared = 0;
		try (OnnxSamModel ours = OnnxSamModel.load(ModelSource.folder(model), ExecutionOptions.cpu().withThreads(2));
			OnnxSamModel official = OnnxSamModel.load(ModelSource.folder(fixture), ExecutionOptions.cpu().withThreads(2)))
		{
			SamPredictor po = new SamPredictor(ours), pr = new SamPredictor(official);
			for (String image : new String[] { "wide", "tall", "small" }) {
				ImagePlus imp = ImageFiles.open(fixture.resolve("images/" + image + ".png"));
				SamImage img = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(ours.spec()));
				ImageEmbedding eo = po.embed(img), er = pr.embed(img);
				List<Prompt> prompts = new ArrayList<>();
				for (JsonElement e : ref.getAsJsonArray("cases")) {
					JsonObject c = e.getAsJsonObject();
					if (c.get("image").getAsString().equals(image) && !c.get("kind").getAsString().equals("refine"))
						prompts.add(OfficialSam1FidelityTest.prompt(c.getAsJsonObject("prompt"), null));
				}
				// Several prompts at once: the converted batch decoder against the official decoder one by one.
				List<Segmentation> so = po.segment(eo, prompts, MaskSelection.ALL);
				for (int i = 0; i < prompts.size(); i++) {
					Segmentation sr = pr.segment(er, prompts.get(i), MaskSelection.ALL);
					for (MaskCandidate cr : sr.candidates()) {
						MaskCandidate co = so.get(i).candidates().stream().filter(c -> c.token() == cr.token())
							.findFirst().orElseThrow();
						float[] a = co.lowRes().logits(), b = cr.lowRes().logits();
						for (int k = 0; k < a.length; k++)
							max = Math.max(max, Math.abs(a[k] - b[k]));
						compared++;
					}
				}
			}
		}
		System.out.println(String.format(Locale.ROOT, "converted vs official export: %d low-res masks, max |logit diff| %.2e",
			compared, max));
		assertTrue(compared >= 12, "masks compared: " + compared);
		assertTrue(max <= MAX_LOGIT_DIFF, "max |logit diff| " + max);
	}
}
