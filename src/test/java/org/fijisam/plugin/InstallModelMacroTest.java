package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ij.IJ;

import org.fijisam.ImageJSupport;
import org.fijisam.ij.ModelSettings;
import org.fijisam.models.FixtureServer;
import org.fijisam.models.ModelCatalog;
import org.fijisam.models.ModelStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Install Model..." run by macros in a real ImageJ, downloading from a local server into a
 * store given by the system property (the real home is never touched).
 */
class InstallModelMacroTest extends InRealImageJ {

	static final Path PLAIN = Path.of("src/test/resources/fixtures/checkpoints/plain.pt");

	@TempDir
	Path tmp;
	FixtureServer server;
	byte[] data;

	@BeforeEach
	void start() throws Exception {
		server = new FixtureServer();
		data = Files.readAllBytes(PLAIN);
		server.serve("/m.pt", data);
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", server.url("/m.pt"), "gone", server.url("/gone.pt")),
			Map.of("test_b", data, "gone", new byte[] { 1, 2, 3 }));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		System.setProperty(ModelStore.PROPERTY, tmp.resolve("store").toString());
		ModelSettings.saveModelsDir("");
	}

	@AfterEach
	void stop() {
		System.clearProperty(ModelCatalog.PROPERTY);
		System.clearProperty(ModelStore.PROPERTY);
		server.close();
	}

	@Test
	void macroInstallsAModelByName() throws Exception {
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"model=test_b\");"), IJ
			.getLog());
		assertArrayEquals(data, Files.readAllBytes(tmp.resolve("store/test_b/checkpoint/test_b.pt")));
		String log = IJ.getLog();
		assertTrue(log.contains("test_b: downloaded and verified") && log.contains("conversion of family sam1 size " +
			"test to ONNX is not available in this build yet"), log);
		// Again: already there, not an error.
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"model=test_b\");"));
		assertTrue(IJ.getLog().contains("already installed"), IJ.getLog());
		// The Settings command refuses it by name, in words: it is a checkpoint only for now.
		assertNull(ImageJSupport.runBatchMacro("run(\"Segment Anything Settings\", \"model=test_b\");"));
		assertTrue(IJ.getLog().contains("verified checkpoint only"), IJ.getLog());
	}

	@Test
	void failuresStopTheMacroWithAMessage() {
		assertNull(ImageJSupport.runBatchMacro("run(\"Install Model...\", \"model=gone\");"));
		String log = IJ.getLog();
		assertTrue(log.contains("Install Model error: Downloading") && log.contains("not found (HTTP 404)"), log);
		assertFalse(log.contains("Exception") || log.contains("\tat "), log);
		assertFalse(Files.exists(tmp.resolve("store/gone")));
		assertNull(ImageJSupport.runBatchMacro("run(\"Install Model...\", \"model=sam_vit_q\");"));
		assertTrue(IJ.getLog().contains("There is no model named 'sam_vit_q'"), IJ.getLog());
	}

	@Test
	void macroImportsACheckpointFile() throws Exception {
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"file=[" + PLAIN
			.toAbsolutePath() + "] family=sam1\");"), IJ.getLog());
		assertTrue(IJ.getLog().contains("is the catalog's test_b"), IJ.getLog());
		assertTrue(Files.isRegularFile(tmp.resolve("store/test_b/install.json")));
	}
}
