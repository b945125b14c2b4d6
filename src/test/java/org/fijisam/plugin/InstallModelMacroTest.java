package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.SwingUtilities;

import ij.IJ;

import org.fijisam.ImageJSupport;
import org.fijisam.core.CancelledException;
import org.fijisam.ij.ModelSettings;
import org.fijisam.models.FixtureServer;
import org.fijisam.models.InstalledModel;
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
	static final Path TINY = Path.of("src/test/resources/fixtures/convert/sam1-tiny.pt");

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

	/** A macro imports with a size and the model is converted, usable by name at once. */
	@Test
	void macroImportConvertsWithTheGivenSize() throws Exception {
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"file=[" + TINY
			.toAbsolutePath() + "] family=sam1 size=tiny\");"), IJ.getLog());
		assertTrue(IJ.getLog().contains("sam1-tiny: imported and verified") && IJ.getLog().contains("converted to " +
			"ONNX. Use it by name"), IJ.getLog());
		assertTrue(Files.isRegularFile(tmp.resolve("store/sam1-tiny/sam.json")));
		// The wrong size: the converter's message stops the macro, and nothing is left.
		ModelSettings.store().remove("sam1-tiny");
		assertNull(ImageJSupport.runBatchMacro("run(\"Install Model...\", \"file=[" + TINY.toAbsolutePath() +
			"] family=sam1 size=tiny_t\");"));
		assertTrue(IJ.getLog().contains("but size tiny_t (TinyViT) was declared") && IJ.getLog().contains(
			"Nothing was imported"), IJ.getLog());
		assertFalse(ModelSettings.store().isInstalled("sam1-tiny"));
		assertEquals(List.of(), ModelSettings.store().names());
	}

	/** micro-sam's two files imported by a macro: the instance decoder becomes the model's (mode ais). */
	@Test
	void macroImportsMicroSamsInstanceDecoderFile() throws Exception {
		Path dir = Path.of("src/test/resources/fixtures/convert");
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"file=[" + dir.resolve(
			"microsam-tiny-ais-interpolate-model.pt").toAbsolutePath() + "] family=sam1 size=tiny instance_decoder=[" +
			dir.resolve("microsam-tiny-ais-interpolate-decoder.pt").toAbsolutePath() + "]\");"), IJ.getLog());
		Path model = tmp.resolve("store/microsam-tiny-ais-interpolate-model");
		assertTrue(Files.isRegularFile(model.resolve("instance_decoder.onnx")), IJ.getLog());
		assertTrue(Files.readString(model.resolve("sam.json")).contains("\"automatic_mode\": \"ais\""));
	}

	/**
	 * The download window of an interactive install: Cancel (pressed while the server is mid-file)
	 * stops the download and keeps the bytes; a macro install then resumes them with Range.
	 */
	@Test
	void cancelInTheDownloadWindowKeepsTheBytesForResuming() throws Exception {
		byte[] big = Files.readAllBytes(TINY);
		FixtureServer.File served = server.serve("/big.pt", big).holdingOnceAfter(100_000);
		Path cat = FixtureServer.catalog(Files.createDirectories(tmp.resolve("c2")), Map.of("big", server.url(
			"/big.pt")), Map.of("big", big));
		System.setProperty(ModelCatalog.PROPERTY, cat.toString());
		ModelStore store = ModelSettings.store();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<InstalledModel> run = pool.submit(() -> Install_Model.download(store, ModelCatalog.current().get(
				"big")));
			assertTrue(served.held.await(60, TimeUnit.SECONDS), "the download started");
			JDialog[] window = new JDialog[1];
			SwingUtilities.invokeAndWait(() -> {
				for (Window w : Window.getWindows())
					if (w instanceof JDialog && w.isShowing() && Install_Model.TITLE.equals(((JDialog) w).getTitle()))
						window[0] = (JDialog) w;
				JButton cancel = button(window[0].getContentPane(), "Cancel");
				assertTrue(cancel.isEnabled());
				cancel.doClick();
				assertFalse(cancel.isEnabled(), "pressed once");
			});
			served.release.countDown();
			ExecutionException stopped = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
			assertTrue(stopped.getCause() instanceof CancelledException, String.valueOf(stopped.getCause()));
			assertTrue(stopped.getCause().getMessage().contains("kept in " + store.partial("big", "checkpoint")),
				stopped.getCause().getMessage());
			SwingUtilities.invokeAndWait(() -> {}); // the window's dispose() was queued before this
			assertFalse(window[0].isDisplayable(), "the window is closed");
		}
		finally {
			served.release.countDown();
			pool.shutdownNow();
		}
		long kept = Files.size(store.partial("big", "checkpoint"));
		assertFalse(store.isInstalled("big"));
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Install Model...\", \"model=big\");"), IJ
			.getLog());
		assertEquals(List.of("/big.pt -", "/big.pt bytes=" + kept + "-"), server.requests);
		assertTrue(IJ.getLog().contains("big: downloaded and verified"), IJ.getLog());
		assertArrayEquals(big, Files.readAllBytes(store.folder("big").resolve("checkpoint/big.pt")));
	}

	static JButton button(Container c, String text) {
		for (Component k : c.getComponents()) {
			if (k instanceof JButton && text.equals(((JButton) k).getText())) return (JButton) k;
			if (k instanceof Container) {
				JButton b = button((Container) k, text);
				if (b != null) return b;
			}
		}
		return null;
	}
}
