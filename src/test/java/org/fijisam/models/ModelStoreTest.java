package org.fijisam.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fijisam.Fixtures;
import org.fijisam.core.ModelException;
import org.fijisam.core.OutputLock;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store: where it is, import, verify, remove, models by name, and the converter seam. */
class ModelStoreTest {

	static final Path CHECKPOINTS = Path.of("src/test/resources/fixtures/checkpoints");

	@TempDir
	Path tmp;

	ModelInstaller installer() {
		return new ModelInstaller(new ModelStore(tmp.resolve("store")), Downloader.fromSystem());
	}

	@Test
	void defaultLocationPerPlatform() {
		Path home = Path.of("/home/u");
		assertEquals(Path.of("/home/u/.cache/fiji-sam/models"), ModelStore.platformDefault("Linux", Map.of(), home));
		assertEquals(Path.of("/x/fiji-sam/models"), ModelStore.platformDefault("Linux", Map.of("XDG_CACHE_HOME", "/x"),
			home));
		assertEquals(Path.of("/home/u/Library/Caches/fiji-sam/models"), ModelStore.platformDefault("Mac OS X", Map.of(),
			home));
		assertEquals(Path.of("C:/L/fiji-sam/models"), ModelStore.platformDefault("Windows 11", Map.of("LOCALAPPDATA",
			"C:/L"), home));
	}

	@Test
	void systemPropertyChoosesTheStore() {
		String old = System.getProperty(ModelStore.PROPERTY);
		try {
			System.setProperty(ModelStore.PROPERTY, tmp.toString());
			assertEquals(tmp, ModelStore.defaultLocation());
			assertEquals(tmp.resolve("x"), ModelStore.at(tmp.resolve("x").toString()).root(), "explicit wins");
		}
		finally {
			if (old == null) System.clearProperty(ModelStore.PROPERTY);
			else System.setProperty(ModelStore.PROPERTY, old);
		}
	}

	@Test
	void importMatchesTheCatalogByHashAndVerifyFindsDamage() throws Exception {
		Path file = CHECKPOINTS.resolve("plain.pt");
		byte[] data = Files.readAllBytes(file);
		Path cat = FixtureServer.catalog(tmp, Map.of("test_b", "https://example.org/m.pt"), Map.of("test_b", data));
		ModelInstaller.Imported r = installer().importCheckpoint(file, "sam1", null, null, ModelCatalog.load(cat),
			ProgressListener.NONE);
		assertEquals("test_b", r.matched.name);
		assertEquals("test_b", r.model.name, "named after the entry it matched");
		assertEquals("publisher", r.model.files.get(0).hashOrigin);
		assertArrayEquals(data, Files.readAllBytes(r.model.checkpoint(r.model.files.get(0))));
		assertEquals(List.of(), installer().verify("test_b", ProgressListener.NONE));
		Files.write(r.model.checkpoint(r.model.files.get(0)), new byte[] { 1, 2, 3 });
		List<String> problems = installer().verify("test_b", ProgressListener.NONE);
		assertTrue(problems.size() == 1 && problems.get(0).contains("damaged: expected xxh128:"), problems.toString());
		assertFalse(installer().store().get("test_b").verified, "the failed verification is recorded");
	}

	@Test
	void importOfAnUnknownFileUsesItsNameAndRecordsTheSha256() throws Exception {
		ModelInstaller.Imported r = installer().importCheckpoint(CHECKPOINTS.resolve("sam2.pt"), "sam2", null, null,
			ModelCatalog.builtIn(), ProgressListener.NONE);
		assertEquals(null, r.matched);
		assertEquals("sam2", r.model.name);
		assertEquals("computed at import", r.model.files.get(0).hashOrigin);
		SamException again = assertThrows(SamException.class, () -> installer().importCheckpoint(CHECKPOINTS.resolve(
			"sam2.pt"), "sam2", null, null, null, ProgressListener.NONE));
		assertTrue(again.getMessage().contains("already installed"), again.getMessage());
	}

	@Test
	void importRefusesWhatIsNotAPlainWeightsCheckpoint() throws Exception {
		for (String f : new String[] { "malicious.pt", "legacy.pt" }) {
			assertThrows(SamException.class, () -> installer().importCheckpoint(CHECKPOINTS.resolve(f), "sam1", null,
				"x", null, ProgressListener.NONE), f);
			assertEquals(List.of(), installer().store().names());
		}
		SamException family = assertThrows(SamException.class, () -> installer().importCheckpoint(CHECKPOINTS.resolve(
			"plain.pt"), "sam3", null, null, null, ProgressListener.NONE));
		assertTrue(family.getMessage().contains("sam1, mobile_sam, sam2"), family.getMessage());
	}

	/** Two commands of one Fiji (one process) installing the same name: the second is told, then may go on. */
	@Test
	void aNameHeldByAnotherCommandOfThisProcessIsRefusedUntilReleased() throws Exception {
		ModelInstaller i = installer();
		try (OutputLock held = i.store().lock("mine", "Fiji's Install Model mine")) {
			SamException busy = assertThrows(SamException.class, () -> i.importCheckpoint(CHECKPOINTS.resolve(
				"plain.pt"), "sam1", null, "mine", null, ProgressListener.NONE));
			assertTrue(busy.getMessage().startsWith("Another install of mine is running: Fiji's Install Model mine " +
				"(host ") && busy.getMessage().contains("process " + ProcessHandle.current().pid() + ","), busy
					.getMessage());
			assertFalse(i.store().isInstalled("mine"));
		}
		assertFalse(Files.exists(i.store().lockFile("mine")), "released");
		i.importCheckpoint(CHECKPOINTS.resolve("plain.pt"), "sam1", null, "mine", null, ProgressListener.NONE);
		assertEquals(List.of("mine"), i.store().names());
		assertFalse(Files.exists(i.store().lockFile("mine")), "released after the import");
	}

	@Test
	void removeRefusesNamesThatAreNotInstalled() throws Exception {
		ModelInstaller i = installer();
		i.importCheckpoint(CHECKPOINTS.resolve("plain.pt"), "sam1", null, "mine", null, ProgressListener.NONE);
		SamException e = assertThrows(SamException.class, () -> i.store().remove("other"));
		assertTrue(e.getMessage().contains("Installed: mine."), e.getMessage());
		i.store().remove("mine");
		assertFalse(Files.exists(i.store().folder("mine")));
	}

	@Test
	void modelsAreUsableByNameOnceConverted() throws Exception {
		ModelInstaller i = installer();
		String dir = i.store().root().toString();
		// Not installed: the message lists what is.
		ModelException unknown = assertThrows(ModelException.class, () -> ModelSource.of("nothing", dir).descriptor());
		assertTrue(unknown.getMessage().contains("does not exist, and no installed model has that name") && unknown
			.getMessage().contains("No model is installed yet") && unknown.getMessage().contains("sam-cli models list"),
			unknown.getMessage());
		// Installed without a converter: said plainly.
		i.importCheckpoint(CHECKPOINTS.resolve("plain.pt"), "sam1", null, "plain", null, ProgressListener.NONE);
		ModelException raw = assertThrows(ModelException.class, () -> ModelSource.of("plain", dir).descriptor());
		assertTrue(raw.getMessage().contains("verified checkpoint only"), raw.getMessage());
		// With a converter plugged in, the model folder is a normal one that loads by name.
		CheckpointConverter copyKnown = new CheckpointConverter() {
			@Override
			public boolean handles(String family, String size) {
				return family.equals("sam1");
			}

			@Override
			public void convert(Request request, ProgressListener progress) {
				assertTrue(Files.isRegularFile(request.files.get("checkpoint")));
				try (var files = Files.list(Fixtures.folder("known"))) {
					files.forEach(f -> copy(f, request.modelFolder.resolve(f.getFileName())));
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			}
		};
		CheckpointConverters.register(copyKnown);
		try {
			InstalledModel m = i.importCheckpoint(CHECKPOINTS.resolve("little.pt"), "sam1", null, "converted", null,
				ProgressListener.NONE).model;
			assertTrue(m.converted);
			assertTrue(ModelInstaller.describe(m).contains("converted to ONNX. Use it by name: --model converted"));
			ModelSource s = ModelSource.of("converted", dir);
			assertNotNull(s.descriptor());
			assertEquals(i.store().folder("converted").toString(), s.describe());
			assertEquals(List.of(), i.verify("converted", ProgressListener.NONE));
		}
		finally {
			CheckpointConverters.unregister(copyKnown);
		}
		// A folder path still means that folder.
		assertEquals(Fixtures.folder("known").toString(), ModelSource.of(Fixtures.folder("known").toString(), dir)
			.describe());
	}

	static void copy(Path from, Path to) {
		try {
			Files.copy(from, to);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
