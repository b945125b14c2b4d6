package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.models.FixtureServer;
import org.fijisam.models.ModelCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sam-cli models list / install / verify / remove / import through the real entry point, against a local server. */
class ModelsCliTest {

	static final Path PLAIN = Path.of("src/test/resources/fixtures/checkpoints/plain.pt");
	static final Path TINY = Path.of("src/test/resources/fixtures/convert/sam1-tiny.pt");

	@TempDir
	Path tmp;
	FixtureServer server;
	byte[] data;
	String store;

	@BeforeEach
	void start() throws Exception {
		server = new FixtureServer();
		data = Files.readAllBytes(PLAIN);
		server.serve("/m.pt", data);
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", server.url("/m.pt")), Map.of("test_b", data));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		store = tmp.resolve("store").toString();
	}

	@AfterEach
	void stop() {
		System.clearProperty(ModelCatalog.PROPERTY);
		server.close();
	}

	/**
	 * The whole way a user goes: an official checkpoint (tiny, made by the official code) is
	 * downloaded, verified, converted in Java and segments by name; its masks are those of the
	 * same checkpoint converted by hand (ConvertedSam1FidelityTest holds those to the official
	 * predictor's).
	 */
	@Test
	void installConvertsACheckpointAndTheModelSegmentsByName() throws Exception {
		byte[] ckpt = Files.readAllBytes(Path.of("src/test/resources/fixtures/convert/sam1-tiny.pt"));
		server.serve("/tiny.pt", ckpt);
		Path cat = FixtureServer.catalog(Files.createDirectories(tmp.resolve("c2")), Map.of("tiny_sam", server.url("/tiny.pt")), Map.of(
			"tiny_sam", ckpt), "tiny");
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		SamCliTest.Run install = new SamCliTest.Run("models", "install", "tiny_sam", "--models-dir", store);
		assertEquals(0, install.code, install.out + install.err);
		assertFalse(install.out.contains("not available"), install.out);
		assertTrue(Files.isRegularFile(Path.of(store, "tiny_sam", "sam.json")), install.out);
		SamCliTest.Run verify = new SamCliTest.Run("models", "verify", "tiny_sam", "--models-dir", store);
		assertEquals(0, verify.code, verify.out + verify.err);

		Path byHand = tmp.resolve("by-hand");
		SamCliTest.Run convert = new SamCliTest.Run("models", "convert", "src/test/resources/fixtures/convert/sam1-tiny.pt",
			"--family", "sam1", "--size", "tiny", "--output", byHand.toString());
		assertEquals(0, convert.code, convert.out + convert.err);
		Path image = SamCliTest.image16(tmp, 96, 80);
		Path a = tmp.resolve("by-name.tif"), b = tmp.resolve("by-hand.tif");
		SamCliTest.Run byName = new SamCliTest.Run("segment", image.toString(), "--point", "40,30", "--model",
			"tiny_sam", "--models-dir", store, "--output", a.toString());
		assertEquals(0, byName.code, byName.out + byName.err);
		SamCliTest.Run direct = new SamCliTest.Run("segment", image.toString(), "--point", "40,30", "--model", byHand
			.toString(), "--output", b.toString());
		assertEquals(0, direct.code, direct.out + direct.err);
		ij.ImagePlus la = ij.IJ.openImage(a.toString()), lb = ij.IJ.openImage(b.toString());
		assertEquals(lb.getProcessor().getPixelCount(), la.getProcessor().getPixelCount());
		for (int i = 0; i < la.getProcessor().getPixelCount(); i++)
			assertEquals(lb.getProcessor().getf(i), la.getProcessor().getf(i), "pixel " + i);
	}

	/**
	 * micro-sam as its registry publishes it: the SAM checkpoint and the instance decoder as two
	 * downloads; installing gives a model whose automatic mode is micro-sam's (ais).
	 */
	@Test
	void installConvertsMicroSamsInstanceDecoderFile() throws Exception {
		Path dir = Path.of("src/test/resources/fixtures/convert");
		byte[] ckpt = Files.readAllBytes(dir.resolve("microsam-tiny-ais-interpolate-model.pt"));
		byte[] dec = Files.readAllBytes(dir.resolve("microsam-tiny-ais-interpolate-decoder.pt"));
		server.serve("/vit_tiny.pt", ckpt);
		server.serve("/vit_tiny_decoder.pt", dec);
		String file = "{\"role\": \"%s\", \"url\": \"%s\", \"file\": \"%s\", \"bytes\": %d, \"hash\": " +
			"\"xxh128:%s\", \"url_source\": \"test\", \"hash_source\": \"test\"}";
		String json = "{\"version\": 1, \"models\": [{\"name\": \"tiny_lm\", \"title\": \"Test micro-sam\", " +
			"\"family\": \"sam1\", \"size\": \"tiny\", \"licence\": \"MIT\", \"files\": [" + String.format(
				java.util.Locale.ROOT, file, "checkpoint", server.url("/vit_tiny.pt"), "vit_tiny.pt", ckpt.length,
				org.fijisam.core.Xxh128.hex(ckpt)) + ", " + String.format(java.util.Locale.ROOT, file, "decoder",
					server.url("/vit_tiny_decoder.pt"), "vit_tiny_decoder.pt", dec.length, org.fijisam.core.Xxh128
						.hex(dec)) + "]}]}";
		Path cat = Files.writeString(Files.createDirectories(tmp.resolve("c4")).resolve("catalog.json"), json);
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		SamCliTest.Run install = new SamCliTest.Run("models", "install", "tiny_lm", "--models-dir", store);
		assertEquals(0, install.code, install.out + install.err);
		Path model = Path.of(store, "tiny_lm");
		assertTrue(Files.isRegularFile(model.resolve("instance_decoder.onnx")), install.out);
		com.google.gson.JsonObject d = com.google.gson.JsonParser.parseString(Files.readString(model.resolve(
			"sam.json"))).getAsJsonObject();
		assertEquals("ais", d.get("automatic_mode").getAsString());
		assertEquals("vit_tiny_decoder.pt", d.getAsJsonObject("converted_from").get("instance_decoder_file")
			.getAsString());
		Path image = SamCliTest.image16(tmp, 96, 80);
		SamCliTest.Run auto = new SamCliTest.Run("auto", image.toString(), "--model", "tiny_lm", "--models-dir", store,
			"--output", tmp.resolve("ais.tif").toString());
		assertEquals(0, auto.code, auto.out + auto.err);
		assertTrue((auto.out + auto.err).contains("ais"), auto.out + auto.err);

		// Offline: the two files imported; the decoder is checked against the catalog's hash.
		SamCliTest.Run wrong = new SamCliTest.Run("models", "import", dir.resolve("microsam-tiny-ais-interpolate-model.pt")
			.toString(), "--instance-decoder", dir.resolve("sam1-tiny.pt").toString(), "--family", "sam1", "--name",
			"offline_lm", "--models-dir", store);
		assertEquals(1, wrong.code, wrong.out + wrong.err);
		assertTrue(wrong.err.contains("sam1-tiny.pt is not the instance decoder of the catalog's tiny_lm"), wrong.err);
		assertFalse(Files.exists(Path.of(store, "offline_lm")));
		SamCliTest.Run imported = new SamCliTest.Run("models", "import", dir.resolve(
			"microsam-tiny-ais-interpolate-model.pt").toString(), "--instance-decoder", dir.resolve(
				"microsam-tiny-ais-interpolate-decoder.pt").toString(), "--family", "sam1", "--name", "offline_lm",
			"--models-dir", store);
		assertEquals(0, imported.code, imported.out + imported.err);
		assertTrue(imported.out.contains("is the catalog's tiny_lm"), imported.out);
		assertTrue(Files.isRegularFile(Path.of(store, "offline_lm", "instance_decoder.onnx")), imported.out);
		assertTrue(Files.isRegularFile(Path.of(store, "offline_lm", "checkpoint", "vit_tiny_decoder.pt")));
		SamCliTest.Run verify = new SamCliTest.Run("models", "verify", "offline_lm", "--models-dir", store);
		assertEquals(0, verify.code, verify.out + verify.err);
	}

	/** The same for SAM 2.1: a checkpoint saved the official way ({"model": ...}) installs as a runnable model. */
	@Test
	void installConvertsASam2CheckpointAndTheModelSegmentsByName() throws Exception {
		byte[] ckpt = Files.readAllBytes(Path.of("src/test/resources/fixtures/convert/sam2.1-tiny.pt"));
		server.serve("/sam2.pt", ckpt);
		Path cat = FixtureServer.catalog(Files.createDirectories(tmp.resolve("c3")), Map.of("tiny_sam2", server.url(
			"/sam2.pt")), Map.of("tiny_sam2", ckpt), "sam2", "tiny");
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		SamCliTest.Run install = new SamCliTest.Run("models", "install", "tiny_sam2", "--models-dir", store);
		assertEquals(0, install.code, install.out + install.err);
		assertFalse(install.out.contains("not available"), install.out);
		assertTrue(Files.isRegularFile(Path.of(store, "tiny_sam2", "sam.json")), install.out);
		Path image = SamCliTest.image16(tmp, 96, 80);
		SamCliTest.Run byName = new SamCliTest.Run("segment", image.toString(), "--point", "40,30", "--model",
			"tiny_sam2", "--models-dir", store, "--output", tmp.resolve("sam2.tif").toString());
		assertEquals(0, byName.code, byName.out + byName.err);
	}

	@Test
	void listInstallVerifyRemove() throws Exception {
		SamCliTest.Run list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertEquals(0, list.code, list.err);
		assertTrue(list.out.contains("NAME") && list.out.contains("FAMILY/SIZE") && list.out.contains("ON DISK") &&
			list.out.contains("STATE"), list.out);
		assertTrue(list.out.matches("(?s).*test_b\\s+sam1/test\\s+2 kB\\s+-\\s+-\\s+Apache-2.0.*"), list.out);

		SamCliTest.Run install = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store, "--timeout",
			"5");
		assertEquals(0, install.code, install.err);
		assertTrue(install.out.contains("test_b: downloaded and verified (test_b.pt matches the published xxh128)") &&
			install.out.contains("conversion of family sam1 size test to ONNX is not available in this build yet"), install.out);
		assertTrue(install.err.contains("test_b.pt: 2 kB of 2 kB"), "progress line: " + install.err);
		assertArrayEquals(data, Files.readAllBytes(Path.of(store, "test_b", "checkpoint", "test_b.pt")));

		SamCliTest.Run again = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store);
		assertEquals(0, again.code);
		assertTrue(again.out.contains("already installed"), again.out);

		list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.matches("(?s).*test_b\\s+sam1/test\\s+2 kB\\s+\\d+ kB\\s+installed, verified, checkpoint only" +
			"\\s+Apache-2.0.*"), list.out);

		SamCliTest.Run verify = new SamCliTest.Run("models", "verify", "--models-dir", store);
		assertEquals(0, verify.code, verify.err);
		assertTrue(verify.out.contains("test_b: verified"), verify.out);
		Files.write(Path.of(store, "test_b", "checkpoint", "test_b.pt"), new byte[] { 0 });
		verify = new SamCliTest.Run("models", "verify", "test_b", "--models-dir", store);
		assertEquals(1, verify.code);
		assertTrue(verify.out.contains("test_b: DAMAGED"), verify.out);
		list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.contains("installed, DAMAGED (verify), checkpoint only"), list.out);

		// Not converted: using it by name says why it cannot run.
		SamCliTest.Run segment = new SamCliTest.Run("segment", SamCliTest.image16(tmp, 64, 64).toString(), "--point",
			"5,5", "--model", "test_b", "--models-dir", store, "--output", tmp.resolve("l.tif").toString());
		assertEquals(1, segment.code);
		assertTrue(segment.err.contains("verified checkpoint only"), segment.err);

		SamCliTest.Run removeOther = new SamCliTest.Run("models", "remove", "sam_vit_h", "--models-dir", store);
		assertEquals(1, removeOther.code);
		assertTrue(removeOther.err.contains("No model named 'sam_vit_h' is installed") && removeOther.err.contains(
			"Installed: test_b."), removeOther.err);
		SamCliTest.Run remove = new SamCliTest.Run("models", "remove", "test_b", "--models-dir", store);
		assertEquals(0, remove.code, remove.err);
		assertFalse(Files.exists(Path.of(store, "test_b")));
	}

	@Test
	void importSaysWhichCatalogModelTheFileIs() throws Exception {
		SamCliTest.Run r = new SamCliTest.Run("models", "import", PLAIN.toString(), "--family", "sam1", "--models-dir",
			store);
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("plain.pt is the catalog's test_b (Test test_b): its xxh128 matches the published " +
			"hash.") && r.out.contains("test_b: imported and verified"), r.out);
		SamCliTest.Run list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.matches("(?s).*test_b\\s+sam1/test\\s+2 kB\\s+\\d+ kB\\s+installed, verified.*"), list.out);

		SamCliTest.Run other = new SamCliTest.Run("models", "import", "src/test/resources/fixtures/checkpoints/sam2.pt",
			"--family", "sam2", "--name", "mine", "--models-dir", store);
		assertEquals(0, other.code, other.err);
		assertTrue(other.out.contains("matches no catalog entry's published hash") && other.out.contains(
			"its size is not known") && other.out.contains("import it again with --size"), other.out);
		list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.contains("installed, not from the catalog:") && list.out.matches(
			"(?s).*\\nmine\\s+sam2/\\?" +
			"\\s+-\\s+\\d+ kB\\s+installed, verified, checkpoint only.*"), list.out);

		SamCliTest.Run noFamily = new SamCliTest.Run("models", "import", PLAIN.toString(), "--models-dir", store);
		assertEquals(2, noFamily.code);
		assertTrue(noFamily.err.contains("import needs --family"), noFamily.err);
	}

	/**
	 * An imported checkpoint is converted at once, as an installed one is, and segments by name;
	 * the size given (the test template "tiny") is what it is converted with.
	 */
	@Test
	void importConvertsAndTheModelSegmentsByName() throws Exception {
		SamCliTest.Run r = new SamCliTest.Run("models", "import", TINY.toString(), "--family", "sam1", "--size", "tiny",
			"--name", "my_tiny", "--models-dir", store);
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("imported as family sam1 size tiny") && r.out.contains("my_tiny: imported and " +
			"verified") && r.out.contains("converted to ONNX. Use it by name: --model my_tiny"), r.out);
		assertTrue(Files.isRegularFile(Path.of(store, "my_tiny", "sam.json")));
		SamCliTest.Run list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.matches("(?s).*\\nmy_tiny\\s+sam1/tiny\\s+-\\s+[\\d.]+ MB\\s+installed, verified, " +
			"converted \\(ONNX\\).*"), list.out);
		SamCliTest.Run verify = new SamCliTest.Run("models", "verify", "my_tiny", "--models-dir", store);
		assertEquals(0, verify.code, verify.out + verify.err);
		Path labels = tmp.resolve("l.tif");
		SamCliTest.Run segment = new SamCliTest.Run("segment", SamCliTest.image16(tmp, 96, 80).toString(), "--point",
			"40,30", "--model", "my_tiny", "--models-dir", store, "--output", labels.toString());
		assertEquals(0, segment.code, segment.out + segment.err);
		assertTrue(Files.isRegularFile(labels));
	}

	/** A wrong family or size is the converter's message, and the store holds nothing afterwards. */
	@Test
	void importOfTheWrongFamilyOrSizeLeavesNothing() throws Exception {
		SamCliTest.Run family = new SamCliTest.Run("models", "import", TINY.toString(), "--family", "sam2",
			"--models-dir", store);
		assertEquals(1, family.code, family.out + family.err);
		assertTrue(family.err.contains("looks like SAM 1") && family.err.contains("but family sam2 was declared") &&
			family.err.contains("Import it as family sam1"), family.err);
		assertEquals(List.of(), storeContents());

		SamCliTest.Run size = new SamCliTest.Run("models", "import", TINY.toString(), "--family", "sam1", "--size",
			"tiny_t", "--models-dir", store);
		assertEquals(1, size.code, size.out + size.err);
		assertTrue(size.err.contains("but size tiny_t (TinyViT) was declared") && size.err.contains("Nothing was " +
			"imported: sam1-tiny is not in the model store."), size.err);
		assertEquals(List.of(), storeContents());
		SamCliTest.Run list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertFalse(list.out.contains("sam1-tiny"), list.out);
	}

	/**
	 * No --size: the size is told from the tensors. A checkpoint with the exact tensors of MobileSAM
	 * (TinyViT-5M, 10 M weights, all zero: made here from the shipped vit_t template's list) is
	 * recognised as vit_t and converted with the shipped template.
	 */
	@Test
	void importWithoutSizeTellsItFromTheTensors() throws Exception {
		Path file = tmp.resolve("mobile_sam_copy.safetensors");
		zeroSafetensors(Path.of("src/main/resources/templates/sam1/vit_t/manifest.json"), file);
		SamCliTest.Run r = new SamCliTest.Run("models", "import", file.toString(), "--family", "mobile_sam",
			"--models-dir", store);
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("imported as family mobile_sam size vit_t") && r.out.contains("converted to ONNX. " +
			"Use it by name: --model mobile_sam_copy"), r.out);
		SamCliTest.Run list = new SamCliTest.Run("models", "list", "--models-dir", store);
		assertTrue(list.out.matches("(?s).*\\nmobile_sam_copy\\s+mobile_sam/vit_t\\s+-\\s+[\\d.]+ MB\\s+installed, " +
			"verified, converted \\(ONNX\\).*"), list.out);
	}

	/** Float32 zeros for every tensor a template lists, as safetensors. */
	static void zeroSafetensors(Path manifest, Path file) throws Exception {
		JsonObject header = new JsonObject();
		long at = 0;
		for (JsonElement e : JsonParser.parseString(Files.readString(manifest)).getAsJsonObject().getAsJsonArray(
			"tensors"))
		{
			JsonObject t = e.getAsJsonObject(), h = new JsonObject();
			long n = 1;
			for (JsonElement d : t.getAsJsonArray("shape"))
				n *= d.getAsLong();
			h.addProperty("dtype", "F32");
			h.add("shape", t.getAsJsonArray("shape"));
			JsonArray offsets = new JsonArray();
			offsets.add(at);
			offsets.add(at += 4 * n);
			h.add("data_offsets", offsets);
			header.add(t.get("name").getAsString(), h);
		}
		byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
			out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
			out.write(h);
			byte[] zeros = new byte[1 << 16];
			for (long left = at; left > 0; left -= zeros.length)
				out.write(zeros, 0, (int) Math.min(left, zeros.length));
		}
	}

	List<String> storeContents() throws Exception {
		Path root = Path.of(store);
		if (!Files.exists(root)) return List.of();
		try (Stream<Path> s = Files.list(root)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	@Test
	void offlineInstallFailsWithAMessage() throws Exception {
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", "http://127.0.0.1:" + FixtureServer.closedPort() +
			"/m.pt"), Map.of("test_b", data));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		SamCliTest.Run r = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store, "--timeout", "2");
		assertEquals(1, r.code);
		assertTrue(r.err.startsWith("error: Cannot reach 127.0.0.1") && r.err.contains("sam-cli models import"), r.err);
		assertFalse(r.err.contains("Exception"), r.err);
	}

	/** A host that does not resolve, reached only through the proxy (the fixture server answers as one). */
	@Test
	void downloadsThroughTheGivenProxy() throws Exception {
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", "http://models.example.invalid/m.pt"), Map.of("test_b",
			data));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		String proxy = server.url("").replace("http://", "");
		SamCliTest.Run r = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store, "--proxy", proxy);
		assertEquals(0, r.code, r.err);
		assertEquals("/m.pt -", server.requests.get(0));
		assertArrayEquals(data, Files.readAllBytes(Path.of(store, "test_b", "checkpoint", "test_b.pt")));
		SamCliTest.Run bad = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store, "--proxy", "x");
		assertEquals(2, bad.code);
		assertTrue(bad.err.contains("a proxy is written host:port"), bad.err);
	}

	@Test
	void honoursTheJvmProxyProperties() throws Exception {
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", "http://models.example.invalid/m.pt"), Map.of("test_b",
			data));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		String[] hostPort = server.url("").replace("http://", "").split(":");
		System.setProperty("http.proxyHost", hostPort[0]);
		System.setProperty("http.proxyPort", hostPort[1]);
		try {
			SamCliTest.Run r = new SamCliTest.Run("models", "install", "test_b", "--models-dir", store);
			assertEquals(0, r.code, r.err);
			assertEquals("/m.pt -", server.requests.get(0));
		}
		finally {
			System.clearProperty("http.proxyHost");
			System.clearProperty("http.proxyPort");
		}
	}

	@Test
	void unknownModelNameListsTheInstalledOnes() {
		SamCliTest.Run r = new SamCliTest.Run("segment", SamCliTest.image16(tmp, 64, 64).toString(), "--point", "1,1", "--model", "nosuchmodel",
			"--models-dir", store, "--output", tmp.resolve("o.tif").toString());
		assertEquals(1, r.code);
		assertTrue(r.err.contains("no installed model has that name") && r.err.contains("sam-cli models list"), r.err);
	}
}
