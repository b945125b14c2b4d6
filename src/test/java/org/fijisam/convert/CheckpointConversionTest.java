package org.fijisam.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.Fixtures;
import org.fijisam.checkpoint.Checkpoint;
import org.fijisam.checkpoint.CheckpointTensor;
import org.fijisam.core.Hashes;
import org.fijisam.core.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the converter refuses, and that a refused or failed conversion leaves nothing behind.
 * The fidelity of a converted model is ConvertedSam1FidelityTest's.
 */
class CheckpointConversionTest {

	static Path tiny() {
		return Fixtures.folder("convert").resolve("sam1-tiny.pt");
	}

	/** The tiny checkpoint's tensors as a safetensors builder, to add or drop one. */
	static SafetensorsBuilder tinyAsSafetensors() throws Exception {
		SafetensorsBuilder b = new SafetensorsBuilder();
		try (Checkpoint c = Checkpoint.open(tiny())) {
			for (CheckpointTensor t : c.root().tensors().values())
				b.put(t.name(), t.shape(), t.readFloats());
		}
		return b;
	}

	static List<String> files(Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	static ConversionException refused(Path checkpoint, String family, String size, Path tmp) throws IOException {
		Path out = tmp.resolve("out");
		List<String> before = files(tmp);
		ConversionException e = assertThrows(ConversionException.class, () -> CheckpointConversion.convert(
			checkpoint, family, size, out, ProgressListener.NONE));
		assertFalse(Files.exists(out), "no model folder after a refusal");
		assertEquals(before, files(tmp), "nothing new in " + tmp);
		System.out.println(e.getMessage());
		return e;
	}

	@Test
	void writesEveryFileWithItsHash(@TempDir Path tmp) throws Exception {
		Path out = tmp.resolve("model");
		double[] last = { 0 };
		CheckpointConversion.Result r = CheckpointConversion.convert(tiny(), "sam1", "tiny", out, (f, m) -> {
			assertTrue(f >= last[0], "progress only grows");
			last[0] = f;
		});
		assertEquals(1.0, last[0]);
		assertEquals(List.of("decoder.onnx", "decoder.weights", "decoder_batch.onnx", "decoder_batch_no_mask.onnx",
			"decoder_image_side.onnx", "encoder.onnx", "encoder.weights", "sam.json"), files(out));
		assertEquals(List.of("model"), files(tmp), "no scratch left beside the model");
		JsonObject d = JsonParser.parseString(Files.readString(out.resolve("sam.json"))).getAsJsonObject();
		JsonObject sha = d.getAsJsonObject("sha256");
		assertEquals(7, sha.size());
		for (Map.Entry<String, com.google.gson.JsonElement> e : sha.entrySet())
			assertEquals(Hashes.sha256Hex(out.resolve(e.getKey())), e.getValue().getAsString(), e.getKey());
		assertEquals("sam1", d.get("family").getAsString());
		assertTrue(r.weightBytes > 0);
		// The weights are the checkpoint's, bit for bit, at the template's offsets.
		ConversionTemplate t = ConversionTemplate.load("sam1", "tiny");
		java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(Files.readAllBytes(out.resolve("encoder.weights"))).order(
			java.nio.ByteOrder.LITTLE_ENDIAN);
		try (Checkpoint c = Checkpoint.open(tiny())) {
			for (ConversionTemplate.Slot s : t.weights.get("encoder.weights")) {
				float[] v = c.root().tensor(s.name).readFloats();
				for (int i = 0; i < v.length; i += 97)
					assertEquals(v[i], w.getFloat((int) s.offset + 4 * i), s.name);
			}
		}
	}

	@Test
	void aMissingTensorIsNamed(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("missing.safetensors");
		tinyAsSafetensors().remove("mask_decoder.iou_token.weight").write(ckpt);
		ConversionException e = refused(ckpt, "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("1 tensor is missing: mask_decoder.iou_token.weight"), e.getMessage());
	}

	@Test
	void anExtraTensorIsNamed(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("extra.safetensors");
		tinyAsSafetensors().put("mask_decoder.adapter.weight", new long[] { 2 }, new float[2]).write(ckpt);
		ConversionException e = refused(ckpt, "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("1 tensor is not part of the model (extra): mask_decoder.adapter.weight"), e
			.getMessage());
	}

	@Test
	void aWrongShapeIsNamed(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("shape.safetensors");
		tinyAsSafetensors().put("mask_decoder.iou_token.weight", new long[] { 2, 32 }, new float[64]).write(ckpt);
		ConversionException e = refused(ckpt, "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("mask_decoder.iou_token.weight is [2, 32], expected [1, 32]"), e
			.getMessage());
	}

	@Test
	void anotherFamilyIsRecognised(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("sam2.safetensors");
		new SafetensorsBuilder().put("image_encoder.trunk.pos_embed", new long[] { 1, 4 }, new float[4]).put(
			"image_encoder.trunk.patch_embed.proj.weight", new long[] { 96, 1 }, new float[96]).put(
				"memory_attention.layers.0.norm1.weight", new long[] { 4 }, new float[4]).write(ckpt);
		ConversionException e = refused(ckpt, "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("looks like SAM 2 (found image_encoder.trunk.pos_embed) but family sam1 " +
			"was declared"), e.getMessage());
	}

	@Test
	void anotherSizeIsRefusedWithTheDifferences(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve(tiny().getFileName());
		Files.copy(tiny(), ckpt);
		ConversionException e = refused(ckpt, "sam1", "vit_b", tmp);
		assertTrue(e.getMessage().contains("image_encoder.patch_embed.proj.weight is [16, 3, 16, 16], expected " +
			"[768, 3, 16, 16]"), e.getMessage());
		assertTrue(e.getMessage().contains("missing: image_encoder.blocks.2."), e.getMessage());
	}

	@Test
	void aMobileSamCheckpointDeclaredAsAVitIsRecognised(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("mobilesam-tiny.pt");
		Files.copy(Fixtures.folder("convert").resolve("mobilesam-tiny.pt"), ckpt);
		ConversionException e = refused(ckpt, "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("looks like MobileSAM / micro-sam vit_t (TinyViT)"), e.getMessage());
		assertTrue(e.getMessage().contains("Convert it as size vit_t"), e.getMessage());
	}

	// ---------------------------------------------------------------- SAM 2.1

	static Path sam2Tiny() {
		return Fixtures.folder("convert").resolve("sam2.1-tiny.pt");
	}

	/** The SAM 2.1 fixture's tensors (its "model" entry) as a safetensors builder. */
	static SafetensorsBuilder sam2TinyAsSafetensors() throws Exception {
		SafetensorsBuilder b = new SafetensorsBuilder();
		try (Checkpoint c = Checkpoint.open(sam2Tiny())) {
			for (CheckpointTensor t : CheckpointContents.of(c.root()).tensors.values())
				b.put(t.name(), t.shape(), t.readFloats());
		}
		return b;
	}

	@Test
	void aSam2CheckpointConverts(@TempDir Path tmp) throws Exception {
		Path out = tmp.resolve("model");
		CheckpointConversion.Result r = CheckpointConversion.convert(sam2Tiny(), "sam2", "tiny", out,
			ProgressListener.NONE);
		assertTrue(r.notes.contains("the weights are the checkpoint's \"model\""), r.notes.toString());
		JsonObject d = JsonParser.parseString(Files.readString(out.resolve("sam.json"))).getAsJsonObject();
		assertEquals("sam2", d.get("family").getAsString());
		assertEquals(3, d.getAsJsonObject("encoder").getAsJsonObject("outputs").size());
		assertEquals(List.of("decoder.onnx", "decoder.weights", "decoder_batch.onnx", "decoder_batch_no_mask.onnx",
			"decoder_image_side.onnx", "encoder.onnx", "encoder.weights", "sam.json"), files(out));
		assertEquals("decoder_image_side.onnx", d.getAsJsonObject("batch_decoder_no_mask").get("image_side")
			.getAsString());
		assertEquals(7, d.getAsJsonObject("sha256").size(), "every graph and weights file hashed");
		// The tracking modules are part of the checkpoint but of no graph: less weight than tensors.
		ConversionTemplate t = ConversionTemplate.load("sam2", "tiny");
		long all = 0;
		for (long[] shape : t.tensors.values())
			all += 4 * WeightsWriter.numel(shape);
		assertTrue(r.weightBytes < all, r.weightBytes + " of " + all);
	}

	@Test
	void aSam2CheckpointDeclaredAsSam1IsRecognised(@TempDir Path tmp) throws Exception {
		ConversionException e = refused(sam2Tiny(), "sam1", "tiny", tmp);
		assertTrue(e.getMessage().contains("looks like SAM 2 (found image_encoder.trunk.") && e.getMessage().contains(
			"but family sam1 was declared. Convert it as family sam2."), e.getMessage());
	}

	@Test
	void aSam1CheckpointDeclaredAsSam2IsRecognised(@TempDir Path tmp) throws Exception {
		ConversionException e = refused(tiny(), "sam2", "tiny", tmp);
		assertTrue(e.getMessage().contains("looks like SAM 1 (found image_encoder.patch_embed.proj.weight") && e
			.getMessage().contains("but family sam2 was declared. Convert it as family sam1."), e.getMessage());
	}

	/** The shapes of an official size give it away (only the tensors FamilyGuess reads). */
	@Test
	void aSam2SizeIsRecognised(@TempDir Path tmp) throws Exception {
		SafetensorsBuilder b = new SafetensorsBuilder().put("image_encoder.trunk.patch_embed.proj.weight", new long[] {
			96, 3, 7, 7 }, new float[96 * 3 * 49]);
		for (int i = 0; i < 12; i++)
			b.put("image_encoder.trunk.blocks." + i + ".norm1.weight", new long[] { 1 }, new float[1]);
		Path ckpt = tmp.resolve("hiera_t.safetensors");
		b.write(ckpt);
		ConversionException e = refused(ckpt, "sam2", "hiera_s", tmp);
		assertTrue(e.getMessage().contains("looks like SAM 2 hiera_t") && e.getMessage().contains(
			"but size hiera_s was declared. Convert it as size hiera_t."), e.getMessage());
		e = refused(ckpt, "sam1", "vit_b", tmp);
		assertTrue(e.getMessage().contains("Convert it as family sam2 size hiera_t."), e.getMessage());
	}

	@Test
	void aSam2CheckpointOfAnotherSizeIsRefusedWithTheDifferences(@TempDir Path tmp) throws Exception {
		ConversionException e = refused(sam2Tiny(), "sam2", "hiera_tiny", tmp);
		assertTrue(e.getMessage().contains("(sam2 hiera_t)"), e.getMessage());
		assertTrue(e.getMessage().contains("image_encoder.trunk.patch_embed.proj.weight is [12, 3, 7, 7], expected " +
			"[96, 3, 7, 7]"), e.getMessage());
	}

	/** A tracking tensor is no less required: the converter takes SAM 2.1 checkpoints whole. */
	@Test
	void aMissingSam2TensorIsNamed(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("missing.safetensors");
		sam2TinyAsSafetensors().remove("memory_attention.norm.weight").remove("sam_mask_decoder.conv_s0.bias").write(
			ckpt);
		ConversionException e = refused(ckpt, "sam2", "tiny", tmp);
		assertTrue(e.getMessage().contains("2 tensors are missing: memory_attention.norm.weight, " +
			"sam_mask_decoder.conv_s0.bias"), e.getMessage());
	}

	@Test
	void anExtraSam2TensorIsNamed(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("extra.safetensors");
		sam2TinyAsSafetensors().put("image_encoder.trunk.blocks.5.norm1.weight", new long[] { 96 }, new float[96])
			.write(ckpt);
		ConversionException e = refused(ckpt, "sam2", "tiny", tmp);
		assertTrue(e.getMessage().contains("1 tensor is not part of the model (extra): " +
			"image_encoder.trunk.blocks.5.norm1.weight"), e.getMessage());
	}

	/** The catalog names its SAM 2.1 sizes as the download links do; each has a template in the jar. */
	@Test
	void everyCatalogSam2SizeHasATemplate() throws Exception {
		TemplateConverter c = new TemplateConverter();
		for (String size : new String[] { "hiera_tiny", "hiera_small", "hiera_base_plus", "hiera_large" }) {
			assertTrue(c.handles("sam2", size), size);
			ConversionTemplate t = ConversionTemplate.load("sam2", size);
			assertEquals(ConversionTemplate.canonicalSize(size), t.size);
			assertTrue(t.tensors.containsKey("memory_attention.norm.weight"), size);
		}
		for (String line : ConversionTemplate.available()) {
			String[] fs = line.split(" ");
			assertEquals(fs[1], ConversionTemplate.load(fs[0], fs[1]).size, line);
		}
		assertTrue(ConversionTemplate.available().contains("sam2 hiera_b+"));
	}

	@Test
	void anUnknownTemplateListsTheKnownOnes(@TempDir Path tmp) throws Exception {
		ConversionException e = refused(tiny(), "sam1", "vit_q", tmp);
		assertTrue(e.getMessage().contains("no conversion template for family \"sam1\" size \"vit_q\""), e.getMessage());
		assertTrue(e.getMessage().contains("sam1 vit_b"), e.getMessage());
	}

	@Test
	void aTruncatedCheckpointIsRefused(@TempDir Path tmp) throws Exception {
		Path ckpt = tmp.resolve("truncated.pt");
		byte[] all = Files.readAllBytes(tiny());
		Files.write(ckpt, java.util.Arrays.copyOf(all, all.length / 2));
		refused(ckpt, "sam1", "tiny", tmp);
	}

	/** A conversion killed with kill -9 leaves its scratch folder; the next one in that folder removes it. */
	@Test
	void aKilledConversionsScratchFolderIsRemovedByTheNext(@TempDir Path tmp) throws Exception {
		Process dead = new ProcessBuilder("true").start();
		dead.waitFor();
		String host = org.fijisam.core.AtomicFiles.scratch(tmp, "x", "partial", "").getFileName().toString()
			.split("-")[2];
		Path left = tmp.resolve(".model-partial-" + host + "-" + dead.pid() + "-" + java.util.UUID.randomUUID());
		Files.createDirectories(left);
		Files.writeString(left.resolve("encoder.weights"), "half");
		CheckpointConversion.convert(tiny(), "sam1", "tiny", tmp.resolve("model"), ProgressListener.NONE);
		assertEquals(List.of("model"), files(tmp));
	}

	@Test
	void anExistingFolderIsNeverReplaced(@TempDir Path tmp) throws Exception {
		Path out = tmp.resolve("model");
		Files.createDirectories(out);
		Files.writeString(out.resolve("notes.txt"), "mine");
		ConversionException e = assertThrows(ConversionException.class, () -> CheckpointConversion.convert(tiny(),
			"sam1", "tiny", out, ProgressListener.NONE));
		assertTrue(e.getMessage().contains("already exists"), e.getMessage());
		assertEquals(List.of("notes.txt"), files(out));
		// An empty folder made for the model is fine.
		Path empty = tmp.resolve("empty");
		Files.createDirectories(empty);
		CheckpointConversion.convert(tiny(), "sam1", "tiny", empty, ProgressListener.NONE);
		assertTrue(Files.isRegularFile(empty.resolve("sam.json")));
	}
}
