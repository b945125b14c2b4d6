package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fijisam.JavaProcess;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.models.Downloader;
import org.fijisam.models.FixtureServer;
import org.fijisam.models.ModelCatalog;
import org.fijisam.models.ModelInstaller;
import org.fijisam.models.ModelStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two installs of one model name at once: a real second process (sam-cli in a child JVM) holds
 * the name while the local server keeps its download mid-file; this process's sam-cli and a
 * Fiji-style import of the same name stop with a message naming it, and the first install ends
 * intact. A killed install's lock is taken over and its bytes resumed.
 */
class ModelInstallLockTest {

	static final Path TINY = Path.of("src/test/resources/fixtures/convert/sam1-tiny.pt");

	@TempDir
	Path tmp;
	FixtureServer server;
	FixtureServer.File served;
	byte[] data;
	Path catalog;
	String store;

	@BeforeEach
	void start() throws Exception {
		server = new FixtureServer();
		data = Files.readAllBytes(TINY);
		served = server.serve("/big.pt", data).holdingOnceAfter(100_000);
		// Size "test": no conversion, these tests are about the download.
		catalog = FixtureServer.catalog(tmp, Map.of("big", server.url("/big.pt")), Map.of("big", data));
		System.setProperty(ModelCatalog.PROPERTY, catalog.toString());
		store = tmp.resolve("store").toString();
	}

	@AfterEach
	void stop() {
		served.release.countDown();
		System.clearProperty(ModelCatalog.PROPERTY);
		server.close();
	}

	Process startInstall(Path log) throws Exception {
		return JavaProcess.cli(List.of("-D" + ModelCatalog.PROPERTY + "=" + catalog), "models", "install", "big",
			"--models-dir", store).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	@Test
	void aSecondInstallOfTheSameNameStopsWithWhoHoldsIt() throws Exception {
		Path log = tmp.resolve("first.log");
		Process first = startInstall(log);
		try {
			assertTrue(served.held.await(120, TimeUnit.SECONDS), "the first install is downloading");
			assertTrue(first.isAlive());

			SamCliTest.Run second = new SamCliTest.Run("models", "install", "big", "--models-dir", store);
			assertEquals(1, second.code, second.out + second.err);
			assertTrue(second.err.contains("Another install of big is running: sam-cli models install big (host ") &&
				second.err.contains("process " + first.pid() + ",") && second.err.contains("Wait for it to finish, " +
					"then run this again") && second.err.contains("delete " + Path.of(store, ".big.lock")), second.err);

			// Fiji importing the same checkpoint (it matches the catalog's big by hash) meanwhile.
			ModelInstaller fiji = new ModelInstaller(new ModelStore(Path.of(store)), Downloader.fromSystem(),
				"Fiji's Install Model");
			SamException busy = assertThrows(SamException.class, () -> fiji.importCheckpoint(TINY, "sam1", null, null,
				ModelCatalog.current(), ProgressListener.NONE));
			assertTrue(busy.getMessage().contains("Another install of big is running") && busy.getMessage().contains(
				"process " + first.pid()), busy.getMessage());

			served.release.countDown();
			assertTrue(first.waitFor(120, TimeUnit.SECONDS));
			String out = Files.readString(log);
			assertEquals(0, first.exitValue(), out);
			assertTrue(out.contains("big: downloaded and verified"), out);
		}
		finally {
			first.destroyForcibly();
		}
		assertEquals(List.of("/big.pt -"), server.requests, "one download: the others never touched the file");
		assertArrayEquals(data, Files.readAllBytes(Path.of(store, "big", "checkpoint", "big.pt")));
		assertEquals(List.of("big"), storeContents(), "no lock, partial or staging folder is left");
		SamCliTest.Run verify = new SamCliTest.Run("models", "verify", "big", "--models-dir", store);
		assertEquals(0, verify.code, verify.out + verify.err);
		// Once it is done, installing again is a plain "already installed".
		SamCliTest.Run again = new SamCliTest.Run("models", "install", "big", "--models-dir", store);
		assertEquals(0, again.code, again.err);
		assertTrue(again.out.contains("already installed"), again.out);
	}

	@Test
	void theLockOfAKilledInstallIsTakenOverAndItsBytesResumed() throws Exception {
		Process killed = startInstall(tmp.resolve("killed.log"));
		try {
			assertTrue(served.held.await(120, TimeUnit.SECONDS), "the install is downloading");
		}
		finally {
			// SIGKILL: no shutdown hook runs, the lock file stays behind naming a dead process.
			killed.destroyForcibly();
			assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
			served.release.countDown();
		}
		Path lock = Path.of(store, ".big.lock");
		assertTrue(Files.readString(lock).contains("pid=" + killed.pid() + "\n"), Files.readString(lock));
		Path partial = Path.of(store, ".big.partial");
		long kept = Files.isRegularFile(partial) ? Files.size(partial) : 0;

		SamCliTest.Run r = new SamCliTest.Run("models", "install", "big", "--models-dir", store);
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("big: downloaded and verified (big.pt matches the published xxh128)"), r.out);
		assertEquals(List.of("/big.pt -", "/big.pt " + (kept > 0 ? "bytes=" + kept + "-" : "-")), server.requests);
		assertArrayEquals(data, Files.readAllBytes(Path.of(store, "big", "checkpoint", "big.pt")));
		assertEquals(List.of("big"), storeContents());
	}

	/** Everything directly in the store folder, hidden files included. */
	List<String> storeContents() throws Exception {
		try (Stream<Path> s = Files.list(Path.of(store))) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}
}
