package org.fijisam.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.Fixtures;
import org.fijisam.core.AtomicFiles;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.Hashes;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.ModelException;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ready ONNX exports recognised from their graphs (fixtures/layouts, made by
 * training/fixtures/make_layout_fixtures.py with the exporters' tensor names), read through
 * ONNX Runtime as a user's folder would be.
 */
class ExportLayoutsTest {

	static ExportFolder.Inspection inspect(String layout) throws ModelException {
		return ExportFolder.inspect(Fixtures.folder("layouts/" + layout), Models.graphReader());
	}

	static JsonObject json(ExportFolder.Inspection in) {
		return JsonParser.parseString(in.json).getAsJsonObject();
	}

	static String str(JsonObject o, String... path) {
		for (int i = 0; i < path.length - 1; i++)
			o = o.getAsJsonObject(path[i]);
		return o.get(path[path.length - 1]).getAsString();
	}

	@Test
	void officialSam1DecoderWithAnEncoderOfAnyNames() throws Exception {
		ExportFolder.Inspection in = inspect("official-sam1");
		assertEquals(ExportLayouts.OFFICIAL_SAM1, in.recognition.layout);
		assertEquals("sam1", in.recognition.family);
		assertEquals("vit_b_encoder.onnx", in.recognition.files.get("encoder"));
		assertEquals("sam_vit_b_decoder.onnx", in.recognition.files.get("decoder"));
		JsonObject d = json(in);
		assertEquals("x", str(d, "encoder", "input"));
		assertEquals("embedding", str(d, "encoder", "output"));
		assertEquals("true", str(d, "decoder", "orig_im_size"));
		assertEquals("orig_im_size", str(d, "decoder", "inputs", "orig_im_size"));
		assertEquals("low_res_masks", str(d, "decoder", "outputs", "low_res_masks"));
		assertEquals("4", str(d, "decoder", "mask_outputs"), "export_onnx_model.py's default");
		assertTrue(in.recognition.notes.toString().contains("assumed 4"), "says the count was assumed");
		assertEquals("1024", str(d, "input_size"));
		assertEquals("256", str(d, "low_res_size"));
		assertEquals("[256,64,64]", d.get("embedding_shape").toString());
		// What it writes is a valid descriptor of family sam1 with the files' hashes.
		ModelDescriptor md = ModelDescriptor.parse(in.json, "test");
		assertEquals(Hashes.sha256Hex(Files.readAllBytes(Fixtures.folder("layouts/official-sam1").resolve(
			"vit_b_encoder.onnx"))), md.sha256.get("vit_b_encoder.onnx"));
		assertTrue(in.loadable());
		assertTrue(in.summary().contains("layout official-sam1, family sam1"), in.summary());
		assertTrue(in.summary().contains("x FLOAT [1, 3, 1024, 1024]"), in.summary());
	}

	@Test
	void samexporterSam1() throws Exception {
		ExportFolder.Inspection in = inspect("samexporter-sam1");
		assertEquals(ExportLayouts.SAMEXPORTER_SAM1, in.recognition.layout);
		assertEquals("sam1", in.recognition.family);
		JsonObject d = json(in);
		assertEquals("sam_vit_b_01ec64.encoder.onnx", str(d, "encoder", "file"));
		assertEquals("input_image", str(d, "encoder", "input"));
		assertEquals("image_embeddings", str(d, "encoder", "output"));
		assertEquals("sam_vit_b_01ec64.decoder.onnx", str(d, "decoder", "file"));
		assertEquals("1", str(d, "decoder", "mask_outputs"), "--return-single-mask: one mask, read from the graph");
		assertNull(in.recognition.notLoadable);
	}

	@Test
	void samexporterSam1WithPreprocessingInTheGraphIsRecognisedButNotRunnable() throws Exception {
		ExportFolder.Inspection in = inspect("samexporter-sam1-preprocess");
		assertEquals(ExportLayouts.SAMEXPORTER_SAM1, in.recognition.layout);
		assertNotNull(in.recognition.notLoadable);
		assertFalse(in.loadable());
		assertTrue(in.summary().contains("--use-preprocess"), in.summary());
	}

	@Test
	void samexporterSam2() throws Exception {
		ExportFolder.Inspection in = inspect("samexporter-sam2");
		assertEquals(ExportLayouts.SAMEXPORTER_SAM2, in.recognition.layout);
		assertEquals("sam2", in.recognition.family);
		JsonObject d = json(in);
		assertEquals("image", str(d, "encoder", "input"));
		assertEquals("image_embed", str(d, "encoder", "outputs", "image_embeddings"));
		assertEquals("high_res_feats_1", str(d, "encoder", "outputs", "high_res_feats_1"));
		assertEquals("[[32,256,256],[64,128,128]]", d.get("high_res_shapes").toString());
		assertEquals("image_embed", str(d, "decoder", "inputs", "image_embeddings"));
		assertEquals("masks", str(d, "decoder", "outputs", "low_res_masks"));
		assertEquals("3", str(d, "decoder", "mask_outputs"), "multimask_output=True: tokens 1..3");
		assertEquals("false", str(d, "decoder", "batch_axis"), "run one prompt at a time");
		assertEquals("true", str(d, "decoder", "pads_points"));
		assertEquals("false", str(d, "decoder", "orig_im_size"));
		assertEquals("stretch", str(d, "preprocessing", "fit"));
		assertFalse(d.has("batch_decoder"));
	}

	@Test
	void ownSam2ExportMatchesTheDraftDescriptor(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(Fixtures.folder("sam2-tiny").resolve(f), tmp.resolve(f));
		ExportFolder.Inspection in = ExportFolder.inspect(tmp, Models.graphReader());
		assertEquals(ExportLayouts.FIJISAM_SAM2, in.recognition.layout);
		JsonObject mine = json(in);
		JsonObject draft = JsonParser.parseString(Files.readString(Fixtures.folder("sam2-tiny").resolve("sam.json")))
			.getAsJsonObject();
		for (String k : draft.keySet())
			if (!k.equals("name")) assertEquals(draft.get(k), mine.get(k), k);
	}

	/** The interface of Xenova/sam-vit-base (names and shapes only; TjsSam1FidelityTest runs a real one). */
	@Test
	void transformersJsSam1IsRecognisedAsRunnable() throws Exception {
		ExportFolder.Inspection in = inspect("transformers.js");
		assertEquals(ExportLayouts.TRANSFORMERS_JS, in.recognition.layout);
		assertEquals("sam1", in.recognition.family);
		assertEquals("vision_encoder.onnx", in.recognition.files.get("encoder"), "the float file, not the quantised");
		assertEquals("prompt_encoder_mask_decoder.onnx", in.recognition.files.get("decoder"));
		assertTrue(in.recognition.notes.toString().contains("vision_encoder_quantized.onnx (not used)"),
			in.recognition.notes.toString());
		JsonObject d = json(in);
		assertEquals("transformers.js", str(d, "layout"));
		assertEquals("pixel_values", str(d, "encoder", "input"));
		assertEquals("image_positional_embeddings", str(d, "encoder", "outputs", "image_positional_embeddings"));
		assertEquals("transformers.js", str(d, "decoder", "prompt_interface"));
		assertEquals("input_points", str(d, "decoder", "inputs", "point_coords"));
		assertEquals("input_labels", str(d, "decoder", "inputs", "point_labels"));
		assertEquals("image_positional_embeddings", str(d, "decoder", "inputs", "image_positional_embeddings"));
		assertEquals("pred_masks", str(d, "decoder", "outputs", "low_res_masks"));
		assertEquals("iou_scores", str(d, "decoder", "outputs", "iou_predictions"));
		assertTrue(d.getAsJsonObject("decoder").get("batch_axis").getAsBoolean(), "point_batch_size is dynamic");
		assertEquals(3, d.getAsJsonObject("decoder").get("mask_outputs").getAsInt());
		assertEquals(256, d.get("low_res_size").getAsInt());
		assertFalse(d.has("preprocessing"), "SAM 1's official pipeline");
		ModelDescriptor parsed = ModelDescriptor.parse(in.json, "written");
		assertTrue(parsed.decoder.transformersJs());
		assertTrue(in.loadable());
		assertTrue(in.summary().contains("loadable: yes"), in.summary());
		assertTrue(in.summary().contains("input_labels INT64"), in.summary());
	}

	/** A hand-edited transformers.js descriptor that cannot describe that graph is refused by name. */
	@Test
	void aTransformersJsDecoderMustBeTheOnlyDecoderWithThreeMasks() throws Exception {
		String json = inspect("transformers.js").json;
		ModelException four = assertThrows(ModelException.class, () -> ModelDescriptor.parse(json.replace(
			"\"mask_outputs\": 3", "\"mask_outputs\": 4"), "edited"));
		assertTrue(four.getMessage().contains("mask_outputs 3"), four.getMessage());
		ModelException other = assertThrows(ModelException.class, () -> ModelDescriptor.parse(json.replace(
			"\"prompt_interface\": \"transformers.js\"", "\"prompt_interface\": \"hf\""), "edited"));
		assertTrue(other.getMessage().contains("prompt_interface must be"), other.getMessage());
	}

	/** The interface of onnx-community/sam2*-ONNX (names and shapes only; TjsSam2FidelityTest runs a real one). */
	@Test
	void transformersJsSam2IsRecognisedAsRunnable() throws Exception {
		ExportFolder.Inspection in = inspect("transformers.js-sam2");
		assertEquals(ExportLayouts.TRANSFORMERS_JS, in.recognition.layout);
		assertEquals("sam2", in.recognition.family);
		assertNull(in.recognition.notLoadable);
		JsonObject d = json(in);
		assertEquals("image_embeddings.2", str(d, "encoder", "outputs", "image_embeddings"));
		assertEquals("image_embeddings.0", str(d, "encoder", "outputs", "high_res_feats_0"));
		assertEquals("image_embeddings.1", str(d, "encoder", "outputs", "high_res_feats_1"));
		assertEquals("transformers.js", str(d, "decoder", "prompt_interface"));
		assertEquals("image_embeddings.2", str(d, "decoder", "inputs", "image_embeddings"));
		assertEquals("image_embeddings.0", str(d, "decoder", "inputs", "high_res_feats_0"));
		assertEquals("input_boxes", str(d, "decoder", "inputs", "boxes"));
		assertEquals("input_points", str(d, "decoder", "inputs", "point_coords"));
		assertEquals("pred_masks", str(d, "decoder", "outputs", "low_res_masks"));
		assertEquals("stretch", str(d, "preprocessing", "fit"));
		assertEquals("[[32,256,256],[64,128,128]]", d.get("high_res_shapes").toString());
		assertEquals("[256,64,64]", d.get("embedding_shape").toString());
		assertEquals(256, d.get("low_res_size").getAsInt());
		assertEquals(3, d.getAsJsonObject("decoder").get("mask_outputs").getAsInt());
		assertTrue(d.getAsJsonObject("decoder").get("batch_axis").getAsBoolean(), "point_batch_size is dynamic");
		ModelDescriptor parsed = ModelDescriptor.parse(in.json, "written");
		assertTrue(parsed.decoder.transformersJs());
		assertTrue(in.loadable());
		assertTrue(in.summary().contains("loadable: yes"), in.summary());
	}

	@Test
	void transformersJsFolderMissingItsDecoderNamesTheFile(@TempDir Path tmp) throws Exception {
		Files.copy(Fixtures.folder("layouts/transformers.js").resolve("vision_encoder.onnx"), tmp.resolve(
			"vision_encoder.onnx"));
		ModelException e = assertThrows(ModelException.class, () -> ExportFolder.inspect(tmp, Models.graphReader()));
		assertTrue(e.getMessage().contains("prompt_encoder_mask_decoder.onnx") && e.getMessage().contains("missing"),
			e.getMessage());
	}

	@Test
	void unknownLayoutListsTheTensorsFoundAndWhatToDo() {
		ModelException e = assertThrows(ModelException.class, () -> inspect("unknown"));
		String m = e.getMessage();
		assertTrue(m.contains("classifier.onnx"), m);
		assertTrue(m.contains("input FLOAT [1, 3, 224, 224]") && m.contains("logits FLOAT [1, 1000]"), m);
		assertTrue(m.contains("docs/model-descriptor.md"), m);
	}

	@Test
	void anExistingDescriptorIsNeverReplaced(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx" })
			Files.copy(Fixtures.folder("known").resolve(f), tmp.resolve(f));
		ExportFolder.Inspection in = ExportFolder.inspect(tmp, Models.graphReader());
		Files.writeString(tmp.resolve("sam.json"), "mine");
		assertTrue(ExportFolder.write(in).contains("already exists"));
		assertEquals("mine", Files.readString(tmp.resolve("sam.json")));
		assertFalse(AtomicFiles.writeNew(tmp.resolve("sam.json"), p -> Files.writeString(p, "theirs")));
		assertEquals("mine", Files.readString(tmp.resolve("sam.json")));
		try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
			assertEquals(3, s.count(), "no scratch file left");
		}
	}

	/** The SAM 2 fixture's files without sam.json: recognised, loaded by the sam2 family, same masks as with its own. */
	@Test
	void aSam2FolderWithoutDescriptorLoadsAndSegments(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(Fixtures.folder("sam2-tiny").resolve(f), tmp.resolve(f));
		byte[][] masks = new byte[2][];
		Path[] folders = { tmp, Fixtures.folder("sam2-tiny") };
		for (int i = 0; i < 2; i++)
			try (SamModel m = Models.load(ModelSource.folder(folders[i]), ExecutionOptions.cpu().withThreads(1))) {
				SamPredictor p = new SamPredictor(m);
				masks[i] = p.segment(p.embed(Fixtures.grey(200, 120, 0.5f)), Prompt.point(100, 60), MaskSelection.SINGLE)
					.bestMask().data();
			}
		assertArrayEquals(masks[1], masks[0]);
	}

	/** The known fixture's files without sam.json: recognised, written, and it segments as with its own descriptor. */
	@Test
	void aFolderWithoutDescriptorLoadsAndSegments(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx", "decoder_batch.onnx" })
			Files.copy(Fixtures.folder("known").resolve(f), tmp.resolve(f));
		ModelSource source = ModelSource.folder(tmp);
		Segmentation recognised;
		try (SamModel m = Models.load(source, ExecutionOptions.cpu().withThreads(1))) {
			SamPredictor p = new SamPredictor(m);
			recognised = p.segment(p.embed(Fixtures.grey(200, 120, 10)), Prompt.point(100, 60), MaskSelection.SINGLE);
		}
		assertTrue(source.notice().contains("official-sam1") && source.notice().contains("wrote"), source.notice());
		ModelDescriptor written = ModelDescriptor.parse(Files.readString(tmp.resolve("sam.json"),
			StandardCharsets.UTF_8), "written");
		ModelDescriptor original = ModelDescriptor.parse(Files.readString(Fixtures.folder("known").resolve(
			"sam.json")), "known");
		assertEquals(original.sha256, written.sha256);
		assertEquals(original.inputSize, written.inputSize);
		assertArrayEquals(original.embeddingShape, written.embeddingShape);
		Segmentation expected;
		try (SamModel m = Models.load(ModelSource.folder(Fixtures.folder("known")), ExecutionOptions.cpu()
			.withThreads(1)))
		{
			SamPredictor p = new SamPredictor(m);
			expected = p.segment(p.embed(Fixtures.grey(200, 120, 10)), Prompt.point(100, 60), MaskSelection.SINGLE);
		}
		assertTrue(expected.bestMask().area() > 0);
		assertArrayEquals(expected.bestMask().data(), recognised.bestMask().data());
		// Loaded again, the written sam.json is used as it is.
		ModelSource again = ModelSource.folder(tmp);
		assertEquals("official-sam1", again.descriptor().layout);
		assertNull(again.notice());
	}

	/** Without input_boxes the graph is not the one transformers.js' Sam2Model feeds: refused at load, by name. */
	@Test
	void aTransformersJsSam2DecoderWithoutBoxInputIsRefusedOnLoad(@TempDir Path tmp) throws Exception {
		Files.copy(Fixtures.folder("tjs-sam2-tiny").resolve("vision_encoder.onnx"), tmp.resolve("vision_encoder.onnx"));
		Files.copy(Fixtures.folder("tjs-sam2-tiny").resolve("prompt_encoder_mask_decoder.onnx"), tmp.resolve(
			"prompt_encoder_mask_decoder.onnx"));
		String json = ExportFolder.inspect(tmp, Models.graphReader()).json.replace("\"input_boxes\"",
			"\"box_input\"");
		Files.writeString(tmp.resolve("sam.json"), json);
		ModelException e = assertThrows(ModelException.class, () -> Models.load(ModelSource.folder(tmp),
			ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("box_input"), e.getMessage());
	}
}
