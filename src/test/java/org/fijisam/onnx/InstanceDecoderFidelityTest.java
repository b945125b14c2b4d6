package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.Fixtures;
import org.fijisam.cli.SamCli;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InstanceMaps;
import org.fijisam.core.ModelException;
import org.fijisam.core.ResizeGeometry;
import org.fijisam.core.SamModel;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance decoder through ONNX Runtime gives what PyTorch gave for the same weights and
 * inputs (fixture ais-tiny: a random-weight decoder with the real interface, made by
 * training/fixtures/make_ais_fixtures.py), and a model folder naming it runs mode ais end to end.
 */
class InstanceDecoderFidelityTest {

	static final Path FIXTURE = Fixtures.folder("ais-tiny");
	static final Path BUILT_IN = Path.of("src/main/resources/models/default");

	/** The built-in model's folder plus the fixture's instance decoder. */
	static Path modelWithInstanceDecoder(Path dir) throws Exception {
		for (String f : List.of("encoder.onnx", "decoder.onnx", "decoder_batch.onnx"))
			Files.copy(BUILT_IN.resolve(f), dir.resolve(f));
		Files.copy(FIXTURE.resolve("instance_decoder.onnx"), dir.resolve("instance_decoder.onnx"));
		JsonObject d = JsonParser.parseString(Files.readString(BUILT_IN.resolve("sam.json"))).getAsJsonObject();
		JsonObject inst = new JsonObject();
		inst.addProperty("file", "instance_decoder.onnx");
		d.add("instance_decoder", inst);
		d.getAsJsonObject("sha256").addProperty("instance_decoder.onnx", JsonParser.parseString(Files.readString(FIXTURE
			.resolve("fixture.json"))).getAsJsonObject().get("sha256").getAsString());
		Files.writeString(dir.resolve("sam.json"), d.toString());
		return dir;
	}

	static float[] read(Path f) throws Exception {
		FloatBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
		float[] v = new float[b.remaining()];
		b.get(v);
		return v;
	}

	@Test
	void onnxRuntimeGivesPyTorchsMaps(@TempDir Path dir) throws Exception {
		try (SamModel model = Models.load(ModelSource.folder(modelWithInstanceDecoder(dir)), ExecutionOptions.cpu()
			.withThreads(1)))
		{
			assertNotNull(model.instanceDecoder());
			assertEquals("ais", model.automaticMode(), "a model with an instance decoder segments in mode ais by default");
			float[] e = new float[256 * 64 * 64];
			for (int c = 0; c < 256; c++)
				for (int y = 0; y < 64; y++)
					for (int x = 0; x < 64; x++)
						e[(c * 64 + y) * 64 + x] = ((x * 5 + y * 11 + c * 3) % 97 - 48) / 48.0f;
			FloatBuffer image = ByteBuffer.allocateDirect(4 * 3 * 1024 * 1024).order(ByteOrder.nativeOrder())
				.asFloatBuffer();
			for (int c = 0; c < 3; c++)
				for (int y = 0; y < 1024; y++)
					for (int x = 0; x < 1024; x++)
						image.put(((x * 7 + y * 13 + c * 29) % 256 - 128) / 64.0f);
			image.rewind();
			ImageEmbedding embedding = new ImageEmbedding(List.of(new EmbeddingTensor("image_embeddings", new int[] { 256,
				64, 64 }, e)), new ResizeGeometry(1024, 1024, 1024), "fixture");
			InstanceMaps maps = model.instanceDecoder().decode(embedding, image);
			assertEquals(256, maps.width());
			double worst = 0;
			float[][] got = { maps.foreground(), maps.centerDistance(), maps.boundaryDistance() };
			String[] files = { "foreground.f32", "center_distance.f32", "boundary_distance.f32" };
			for (int k = 0; k < 3; k++) {
				float[] expected = read(FIXTURE.resolve(files[k]));
				assertEquals(expected.length, got[k].length);
				for (int i = 0; i < expected.length; i++)
					worst = Math.max(worst, Math.abs(expected[i] - got[k][i]));
			}
			assertTrue(worst < 1e-4, "largest difference to PyTorch: " + worst);
		}
	}

	@Test
	void modeAisRunsEndToEndAndAModelWithoutDecoderRefusesIt(@TempDir Path dir) throws Exception {
		Path model = modelWithInstanceDecoder(Files.createDirectories(dir.resolve("model")));
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
		int code = new SamCli().run(new String[] { "auto", "test-images/nuclei.tif", "--output", dir.resolve("out")
			.toString(), "--model", model.toString(), "--threads", "1" }, ps, ps);
		String out = log.toString(StandardCharsets.UTF_8);
		assertEquals(0, code, out);
		assertTrue(out.contains("mode ais ("), "the model's own mode, with no flag: " + out);
		assertTrue(Files.isRegularFile(dir.resolve("out/nuclei_labels.tif")), out);
		// mode apg: the instance decoder's objects as prompts to the mask decoder
		log.reset();
		code = new SamCli().run(new String[] { "auto", "test-images/nuclei.tif", "--output", dir.resolve("out-apg")
			.toString(), "--model", model.toString(), "--mode", "apg", "--threads", "1" }, ps, ps);
		out = log.toString(StandardCharsets.UTF_8);
		assertEquals(0, code, out);
		assertTrue(out.contains("mode apg") && Files.isRegularFile(dir.resolve("out-apg/nuclei_labels.tif")), out);
		// a model without an instance decoder: mode ais is refused before any image
		log.reset();
		code = new SamCli().run(new String[] { "auto", "test-images/nuclei.tif", "--output", dir.resolve("out2")
			.toString(), "--mode", "ais", "--model", Fixtures.folder("known").toString() }, ps, ps);
		out = log.toString(StandardCharsets.UTF_8);
		assertEquals(1, code, out);
		assertTrue(out.contains("mode ais needs a model with an instance decoder"), out);
	}

	@Test
	void anInstanceDecoderThatDoesNotFitTheEncoderIsRefusedAtLoad(@TempDir Path dir) throws Exception {
		Path model = modelWithInstanceDecoder(dir);
		JsonObject d = JsonParser.parseString(Files.readString(model.resolve("sam.json"))).getAsJsonObject();
		d.getAsJsonObject("instance_decoder").add("inputs", JsonParser.parseString("{\"image\": \"image_embeddings\"}"));
		Files.writeString(model.resolve("sam.json"), d.toString());
		ModelException e = assertThrows(ModelException.class, () -> Models.load(ModelSource.folder(model),
			ExecutionOptions.cpu()).close());
		assertTrue(e.getMessage().contains("instance decoder") && e.getMessage().contains("image_embeddings"), e
			.getMessage());
	}
}
