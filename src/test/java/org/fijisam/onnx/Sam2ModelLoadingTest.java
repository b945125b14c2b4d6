package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.Fixtures;
import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ModelException;
import org.fijisam.core.Preprocessing;
import org.fijisam.core.Prompt;
import org.fijisam.core.PromptEncoding;
import org.fijisam.core.SamException;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading SAM 2 models: the family, the spec it builds, batch decoding, and what a mismatch says. */
class Sam2ModelLoadingTest {

	static final ExecutionOptions CPU = ExecutionOptions.cpu().withThreads(2);

	@Test
	void theFixtureLoadsAsSam2WithItsOwnRules() throws Exception {
		assertTrue(Models.families().contains("sam2"), Models.families().toString());
		try (SamModel m = Models.load(ModelSource.folder(Fixtures.folder("sam2-tiny")), CPU)) {
			assertEquals(Preprocessing.SAM2, m.spec().preprocessing());
			assertEquals(32f, m.spec().promptEncoding().maskInputClamp());
			assertTrue(m.spec().promptEncoding().boxFirst() && m.spec().promptEncoding().graphPads());
			assertEquals(0.98f, m.spec().singleMaskFallback().threshold());
			assertTrue(m.batchedDecoder());
		}
	}

	@Test
	void batchAndOneByOneDecodingAgree() throws Exception {
		ModelSource src = ModelSource.folder(Fixtures.folder("sam2-tiny"));
		try (OnnxSam2Model batch = OnnxSam2Model.load(src, CPU, true);
			OnnxSam2Model single = OnnxSam2Model.load(src, CPU, false))
		{
			SamPredictor p = new SamPredictor(batch);
			ImageEmbedding emb = p.embed(Fixtures.grey(120, 90, 100));
			List<DecoderPrompt> prompts = new ArrayList<>();
			for (int i = 0; i < 5; i++)
				prompts.add(DecoderPrompt.encode(Prompt.point(10 + 20 * i, 15 + 12 * i), emb.geometry(), 256,
					PromptEncoding.SAM2));
			prompts.add(DecoderPrompt.encode(Prompt.builder().box(5, 5, 60, 70).build(), emb.geometry(), 256,
				PromptEncoding.SAM2));
			List<DecoderOutput> a = batch.decoder().decode(emb, prompts), b = single.decoder().decode(emb, prompts);
			for (int i = 0; i < prompts.size(); i++)
				for (int k = 0; k < 4; k++) {
					assertEquals(b.get(i).iou(k), a.get(i).iou(k), 1e-5);
					assertArrayEquals(b.get(i).lowRes(k), a.get(i).lowRes(k), 1e-3f);
				}
		}
	}

	@Test
	void concurrentChunksGiveTheSameAnswersAsOneSession() throws Exception {
		// 3 threads: a large call (segment everything's 64 grid points) is cut into >= 3 chunks
		// that run at once on the single-threaded session; 1 thread runs them in order.
		ModelSource src = ModelSource.folder(Fixtures.folder("sam2-tiny"));
		try (OnnxSam2Model parallel = OnnxSam2Model.load(src, ExecutionOptions.cpu().withThreads(3), true);
			OnnxSam2Model one = OnnxSam2Model.load(src, ExecutionOptions.cpu().withThreads(1), true))
		{
			assertEquals(3, ((OnnxSam2Decoder) parallel.decoder()).parallelWorkers());
			assertEquals(1, ((OnnxSam2Decoder) one.decoder()).parallelWorkers());
			SamPredictor pp = new SamPredictor(parallel), po = new SamPredictor(one);
			ImageEmbedding ep = pp.embed(Fixtures.grey(120, 90, 100)), eo = po.embed(Fixtures.grey(120, 90, 100));
			List<DecoderPrompt> prompts = new ArrayList<>();
			for (int i = 0; i < 64; i++)
				prompts.add(DecoderPrompt.encode(Prompt.point(3 + (i % 8) * 15, 3 + (i / 8) * 11), ep.geometry(), 256,
					PromptEncoding.SAM2));
			for (int round = 0; round < 2; round++) { // the worker pool and the image tensors are reused
				List<DecoderOutput> a = parallel.decoder().decode(ep, prompts), b = one.decoder().decode(eo, prompts);
				for (int i = 0; i < prompts.size(); i++)
					for (int k = 0; k < 4; k++) {
						assertEquals(b.get(i).iou(k), a.get(i).iou(k), 1e-5);
						assertArrayEquals(b.get(i).lowRes(k), a.get(i).lowRes(k), 1e-3f);
					}
			}
		}
	}

	@Test
	void aSam1EncoderWithASam2DecoderIsNamed(@TempDir Path tmp) throws Exception {
		Path dir = copy(tmp, j -> {
			j.getAsJsonObject("sha256").remove("encoder.onnx");
			return j;
		});
		Files.copy(Fixtures.folder("sam1-tiny").resolve("encoder.onnx"), dir.resolve("encoder.onnx"),
			java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		ModelException e = assertThrows(ModelException.class, () -> Models.load(ModelSource.folder(dir), CPU));
		assertTrue(e.getMessage().contains("as a SAM 1 encoder") && e.getMessage().contains("family \"sam1\""),
			e.getMessage());
	}

	@Test
	void mismatchedShapesAndMissingKeysAreNamed(@TempDir Path tmp) throws Exception {
		Path shapes = copy(tmp.resolve("a"), j -> {
			JsonArray hr = j.getAsJsonArray("high_res_shapes").get(0).getAsJsonArray();
			hr.set(0, new com.google.gson.JsonPrimitive(32));
			return j;
		});
		ModelException e = assertThrows(ModelException.class, () -> Models.load(ModelSource.folder(shapes), CPU));
		assertTrue(e.getMessage().contains("high_res_feats_0") && e.getMessage().contains("[1, 4, 256, 256]"),
			e.getMessage());
		Path noShapes = copy(tmp.resolve("b"), j -> {
			j.remove("high_res_shapes");
			return j;
		});
		e = assertThrows(ModelException.class, () -> Models.load(ModelSource.folder(noShapes), CPU));
		assertTrue(e.getMessage().contains("needs 'high_res_shapes'"), e.getMessage());
	}

	@Test
	void aSam1EmbeddingIsRefusedByTheSam2Decoder() throws Exception {
		try (SamModel sam2 = Models.load(ModelSource.folder(Fixtures.folder("sam2-tiny")), CPU);
			SamModel sam1 = Models.load(ModelSource.folder(Fixtures.folder("sam1-tiny")), CPU))
		{
			ImageEmbedding emb1 = new SamPredictor(sam1).embed(Fixtures.grey(64, 48, 100));
			SamException e = assertThrows(SamException.class, () -> new SamPredictor(sam2).segment(emb1,
				Prompt.point(3, 3), org.fijisam.core.MaskSelection.AUTO));
			assertTrue(e.getMessage().contains("SAM 2 decoder needs the embedding of a SAM 2 encoder"), e.getMessage());
		}
	}

	/** The fixture's files and an edited sam.json in {@code dir}. */
	private static Path copy(Path dir, UnaryOperator<JsonObject> edit) throws Exception {
		Path src = Fixtures.folder("sam2-tiny");
		Files.createDirectories(dir);
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(src.resolve(f), dir.resolve(f));
		JsonObject j = JsonParser.parseString(Files.readString(src.resolve("sam.json"), StandardCharsets.UTF_8))
			.getAsJsonObject();
		Gson gson = new GsonBuilder().setPrettyPrinting().create();
		Files.writeString(dir.resolve("sam.json"), gson.toJson(edit.apply(j)), StandardCharsets.UTF_8);
		return dir;
	}
}
