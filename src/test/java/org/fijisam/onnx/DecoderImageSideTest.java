package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.ModelException;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mask-free decoder of a converted SAM 1 or SAM 2.1 takes the image's share of its work from
 * the image-side graph, run once per image: what it gives equals the full decoder's answer, it
 * runs again only for another image, and a descriptor that pairs it wrongly is refused.
 */
class DecoderImageSideTest {

	private static SamImage image(long seed) throws Exception {
		Random r = new Random(seed);
		short[] px = new short[300 * 200];
		for (int i = 0; i < px.length; i++)
			px[i] = (short) (r.nextInt(200) + (i % 300 > 150 ? 3000 : 0));
		return SamImages.fromGrey(ArrayImgs.unsignedShorts(px, 300, 200), Normalization.auto());
	}

	@Test
	void runsOncePerImageAndAnswersAsTheFullDecoder(@TempDir Path tmp) throws Exception {
		Path model = ConvertedSam1FidelityTest.convert("sam1-tiny.pt", tmp);
		Path full = withDescriptor(model, tmp.resolve("full"), d -> d.remove("batch_decoder_no_mask"));
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.folder(model), ExecutionOptions.cpu());
			OnnxSamModel f = OnnxSamModel.load(ModelSource.folder(full), ExecutionOptions.cpu()))
		{
			OnnxImageSide side = ((OnnxMaskDecoder) m.decoder()).maskless().imageSide();
			assertNotNull(side, "the converted model's mask-free decoder takes an image side");
			oncePerImageAndAsTheFullDecoder(m, f, side);
		}
	}

	/** The same for a converted SAM 2.1, whose image side also takes the two high-resolution maps. */
	@Test
	void sam2RunsOncePerImageAndAnswersAsTheFullDecoder(@TempDir Path tmp) throws Exception {
		Path model = ConvertedSam2FidelityTest.convert(tmp);
		Path full = withDescriptor(model, tmp.resolve("full"), d -> d.remove("batch_decoder_no_mask"));
		try (OnnxSam2Model m = OnnxSam2Model.load(ModelSource.folder(model), ExecutionOptions.cpu(), true);
			OnnxSam2Model f = OnnxSam2Model.load(ModelSource.folder(full), ExecutionOptions.cpu(), true))
		{
			OnnxSam2Decoder maskless = ((OnnxSam2Decoder) m.decoder()).maskless();
			assertNotNull(maskless, "the converted SAM 2.1 routes mask-free calls to its own decoder");
			assertNotNull(maskless.imageSide(), "which takes an image side");
			assertNull(((OnnxSam2Decoder) f.decoder()).maskless());
			oncePerImageAndAsTheFullDecoder(m, f, maskless.imageSide());
		}
	}

	/**
	 * Clicks and a batch on one image run {@code side} once; another image runs it again; the
	 * answers equal those of {@code full}, the same model without the mask-free decoder.
	 */
	private static void oncePerImageAndAsTheFullDecoder(SamModel m, SamModel full, OnnxImageSide side)
		throws Exception
	{
		SamPredictor p = new SamPredictor(m), q = new SamPredictor(full);
		ImageEmbedding a = p.embed(image(1)), b = p.embed(image(2));
		Prompt click = Prompt.point(80.5, 60.5);
		Segmentation first = p.segment(a, click, MaskSelection.ALL);
		p.segment(a, Prompt.point(200.5, 150.5), MaskSelection.ALL);
		List<Prompt> grid = new ArrayList<>();
		for (int i = 0; i < 12; i++)
			grid.add(Prompt.point(20.5 + 20 * i, 10.5 + 15 * i));
		List<Segmentation> batch = p.segment(a, grid, MaskSelection.ALL);
		assertEquals(1, side.runs(), "clicks and a batch on one image share one image side");
		p.segment(b, click, MaskSelection.ALL);
		assertEquals(2, side.runs(), "another image, another image side");
		Segmentation again = p.segment(a, click, MaskSelection.ALL);
		assertEquals(3, side.runs(), "only the last image's is kept");
		for (int i = 0; i < first.candidates().size(); i++)
			assertArrayEquals(first.candidates().get(i).lowRes().logits(), again.candidates().get(i).lowRes().logits(),
				"recomputed, the same");

		// The full decoder (image side computed inside, with the mask path) gives the same.
		ImageEmbedding fa = q.embed(image(1));
		sameOutputs(first, q.segment(fa, click, MaskSelection.ALL));
		List<Segmentation> fullBatch = q.segment(fa, grid, MaskSelection.ALL);
		for (int i = 0; i < grid.size(); i++)
			sameOutputs(batch.get(i), fullBatch.get(i));
	}

	private static void sameOutputs(Segmentation got, Segmentation want) {
		assertEquals(want.candidates().size(), got.candidates().size());
		for (int i = 0; i < want.candidates().size(); i++) {
			MaskCandidate x = got.candidates().get(i), y = want.candidates().get(i);
			assertEquals(y.predictedIou(), x.predictedIou(), 1e-5);
			float[] lx = x.lowRes().logits(), ly = y.lowRes().logits();
			double max = 0;
			for (int k = 0; k < lx.length; k++)
				max = Math.max(max, Math.abs(lx[k] - ly[k]));
			assertTrue(max < 1e-4, "low-res logits differ by " + max);
		}
	}

	@Test
	void aSam2ImageSideOfOtherTensorsIsRefused(@TempDir Path tmp) throws Exception {
		Path model = ConvertedSam2FidelityTest.convert(tmp);
		Path wrong = withDescriptor(model, tmp.resolve("wrong"), d -> d.getAsJsonObject("batch_decoder_no_mask")
			.addProperty("image_side", "decoder_batch.onnx"));
		String message = assertThrows(ModelException.class, () -> OnnxSam2Model.load(ModelSource.folder(wrong),
			ExecutionOptions.cpu(), true).close()).getMessage();
		assertTrue(message.contains("image side of the decoder") && message.contains(
			"must take [image_embed, high_res_feats_0, high_res_feats_1] (the image tensors)"), message);
	}

	@Test
	void anImageSideThatIsNotOneIsRefused(@TempDir Path tmp) throws Exception {
		String message = refused(tmp, d -> d.getAsJsonObject("batch_decoder_no_mask").addProperty("image_side",
			"decoder_batch.onnx"));
		assertTrue(message.contains("image side of the decoder") && message.contains("must take one input"), message);
	}

	@Test
	void onlyTheMaskFreeDecoderMayHaveOne(@TempDir Path tmp) throws Exception {
		String message = refused(tmp, d -> d.getAsJsonObject("batch_decoder").addProperty("image_side",
			"decoder_image_side.onnx"));
		assertTrue(message.contains("only batch_decoder_no_mask may have an image_side"), message);
	}

	/**
	 * The converted model's mask-free decoder leaves the mask pixels in the upscaling's block order;
	 * a decoder that upsamples to the original size in its graph (the official interface) cannot.
	 */
	@Test
	void onlyLowResDecodersMayGiveBlocksAndOnlyOfTheUpscaling(@TempDir Path tmp) throws Exception {
		String other = refused(tmp.resolve("a"), d -> d.getAsJsonObject("decoder").addProperty("low_res_order",
			"blocks"));
		assertTrue(other.contains("low_res_order is only for decoders that return the low-res masks alone"), other);
		String unknown = refused(tmp.resolve("b"), d -> d.getAsJsonObject("batch_decoder_no_mask").addProperty(
			"low_res_order", "columns"));
		assertTrue(unknown.contains("low_res_order must be \"image\" or \"blocks\", not \"columns\""), unknown);
		String size = refused(tmp.resolve("c"), d -> d.addProperty("low_res_size", 128));
		assertTrue(size.contains("low_res_order \"blocks\" needs low_res_size 4 x the embedding's side"), size);
	}

	/** The message with which the converted tiny model, its sam.json edited, is refused at load. */
	private static String refused(Path tmp, Edit edit) throws Exception {
		Path model = ConvertedSam1FidelityTest.convert("sam1-tiny.pt", tmp);
		Path wrong = withDescriptor(model, tmp.resolve("wrong"), edit);
		return assertThrows(ModelException.class,
			() -> OnnxSamModel.load(ModelSource.folder(wrong), ExecutionOptions.cpu()).close()).getMessage();
	}

	interface Edit {
		void apply(JsonObject descriptor);
	}

	/** A copy of a model folder with its sam.json edited (hashes dropped: the files stay as they are). */
	static Path withDescriptor(Path model, Path copy, Edit edit) throws Exception {
		Files.createDirectories(copy);
		try (var files = Files.list(model)) {
			for (Path f : (Iterable<Path>) files::iterator)
				Files.copy(f, copy.resolve(f.getFileName()));
		}
		JsonObject d = JsonParser.parseString(Files.readString(copy.resolve("sam.json"))).getAsJsonObject();
		edit.apply(d);
		Files.writeString(copy.resolve("sam.json"), d.toString());
		return copy;
	}
}
