package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.fijisam.Fixtures;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading models: validation against the descriptor, hashes, providers, and caching. */
class ModelLoadingTest {

	@Test
	void missingFolderSaysWhatToDo(@TempDir Path tmp) {
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(tmp
			.resolve("nope")), ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
		assertTrue(e.getMessage().contains("built-in default"), e.getMessage());
	}

	@Test
	void folderWithoutDescriptor(@TempDir Path tmp) throws Exception {
		Files.copy(Fixtures.folder("known").resolve("encoder.onnx"), tmp.resolve("encoder.onnx"));
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(tmp),
			ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("add a sam.json"), e.getMessage());
	}

	@Test
	void modelThatIsNotSamShapedIsRejectedByName() {
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(Fixtures
			.folder("not-sam")), ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("'image_embeddings'"), e.getMessage());
		assertTrue(e.getMessage().contains("[x]"), "lists the inputs it has: " + e.getMessage());
	}

	@Test
	void damagedFileIsCaughtByItsHash() {
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(Fixtures
			.folder("bad-hash")), ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("decoder.onnx") && e.getMessage().contains("SHA-256"), e.getMessage());
	}

	@Test
	void wrongShapeInDescriptorIsNamed(@TempDir Path tmp) throws Exception {
		for (String f : new String[] { "encoder.onnx", "decoder.onnx" })
			Files.copy(Fixtures.folder("known-nobatch").resolve(f), tmp.resolve(f));
		String json = new String(Files.readAllBytes(Fixtures.folder("known-nobatch").resolve("sam.json")));
		Files.write(tmp.resolve("sam.json"), json.replace("\"input_size\": 256", "\"input_size\": 1024").getBytes());
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(tmp),
			ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("'image'") && e.getMessage().contains("[1, 3, 1024, 1024]"), e
			.getMessage());
	}

	// This machine has no GPU and the default build's onnxruntime jar has no CUDA provider.

	@Test
	void cudaThatCannotStartIsAnErrorThatSaysWhyAndWhatToDo() {
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.embeddedDefault(),
			ExecutionOptions.cpu().withProvider(ExecutionOptions.Provider.CUDA)));
		assertTrue(e.getMessage().contains("this build has no CUDA support: build with -Pgpu / put onnxruntime_gpu " +
			"in jars/"), e.getMessage());
		assertTrue(e.getMessage().contains("provider auto") && e.getMessage().contains("cpu"), "what to do: " + e
			.getMessage());
	}

	@Test
	void cudaOnADamagedModelReportsTheModelNotCuda(@TempDir Path tmp) throws Exception {
		Files.copy(Fixtures.folder("known-nobatch").resolve("decoder.onnx"), tmp.resolve("decoder.onnx"));
		Files.write(tmp.resolve("encoder.onnx"), "not an ONNX file".getBytes());
		String json = new String(Files.readAllBytes(Fixtures.folder("known-nobatch").resolve("sam.json")));
		Files.write(tmp.resolve("sam.json"), json.substring(0, json.indexOf(",\n  \"sha256\"")).concat("\n}")
			.getBytes());
		ModelException e = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(tmp),
			ExecutionOptions.cpu().withProvider(ExecutionOptions.Provider.CUDA)));
		assertTrue(e.getMessage().contains("cannot open the encoder"), e.getMessage());
		assertTrue(!e.getMessage().contains("CUDA"), "the file is the problem: " + e.getMessage());
	}

	@Test
	void autoRunsOnTheCpuAndSaysWhyOnce() throws Exception {
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu().withProvider(
			ExecutionOptions.Provider.AUTO)))
		{
			assertEquals("CPU", m.provider());
			assertTrue(m.fallbackReason().contains("no CUDA support"), m.fallbackReason());
			String summary = m.executionSummary();
			assertTrue(summary.startsWith("CPU") && summary.contains("running on CPU"), summary);
			assertEquals(summary.indexOf("no CUDA support"), summary.lastIndexOf("no CUDA support"), "once: " +
				summary);
			// ...and it still works.
			SamPredictor p = new SamPredictor(m);
			assertTrue(p.segment(p.embed(Fixtures.grey(64, 64, 10)), Prompt.point(32, 32), MaskSelection.SINGLE)
				.bestMask().area() >= 0);
		}
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.folder(Fixtures.folder("known")), ExecutionOptions.cpu())) {
			assertEquals("CPU", m.provider());
			assertEquals(null, m.fallbackReason(), "CPU was asked for: nothing to report");
		}
	}

	@Test
	void embeddingCacheInMemoryAndOnDisk(@TempDir Path tmp) throws Exception {
		try (OnnxSamModel m = Fixtures.known()) {
			SamPredictor p = new SamPredictor(m, new EmbeddingCache(64L << 20, tmp));
			p.embed(Fixtures.grey(300, 200, 10));
			p.embed(Fixtures.grey(300, 200, 10));
			assertEquals(1, p.timings().encodes(), "second call is a cache hit");
			assertEquals(1, p.cache().memoryHits());
			p.embed(Fixtures.grey(300, 200, 11));
			assertEquals(2, p.timings().encodes(), "different pixels: encoded again");
			// A new predictor (e.g. a new Fiji session) finds the embedding on disk.
			SamPredictor fresh = new SamPredictor(m, new EmbeddingCache(64L << 20, tmp));
			fresh.embed(Fixtures.grey(300, 200, 10));
			assertEquals(0, fresh.timings().encodes());
			assertEquals(1, fresh.cache().diskHits());
		}
		// The memory cap is honoured: an embedding of 16 KB does not fit in 1 KB.
		EmbeddingCache tiny = EmbeddingCache.inMemory(1024);
		try (OnnxSamModel m = Fixtures.known()) {
			SamPredictor p = new SamPredictor(m, tiny);
			p.embed(Fixtures.grey(30, 20, 10));
			p.embed(Fixtures.grey(30, 20, 10));
			assertEquals(2, p.timings().encodes());
			assertEquals(0, tiny.size());
		}
	}
}
