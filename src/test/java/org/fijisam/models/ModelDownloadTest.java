package org.fijisam.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fijisam.core.CancelledException;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing from a local HTTP server that behaves well, cuts the connection, stalls, ignores
 * Range, answers 404, or is not there at all; the store must hold a verified model or nothing.
 */
class ModelDownloadTest {

	static final Path PLAIN = Path.of("src/test/resources/fixtures/checkpoints/plain.pt");

	@TempDir
	Path tmp;
	FixtureServer server;
	ModelStore store;
	byte[] data;

	@BeforeEach
	void start() throws Exception {
		server = new FixtureServer();
		store = new ModelStore(tmp.resolve("store"));
		data = Files.readAllBytes(PLAIN);
	}

	@AfterEach
	void stop() {
		server.close();
	}

	CatalogEntry entry(String name, String url) throws Exception {
		Path cat = FixtureServer.catalog(tmp, Map.of(name, url), Map.of(name, data));
		return ModelCatalog.load(cat).get(name);
	}

	InstalledModel install(CatalogEntry e, int timeoutSeconds, List<Transfer> seen) throws SamException {
		return new ModelInstaller(store, new Downloader(timeoutSeconds, null, null)).install(e, seen::add,
			ProgressListener.NONE);
	}

	/** Everything in the store folder, names relative to it. */
	List<String> storeContents() throws Exception {
		if (!Files.exists(store.root())) return List.of();
		try (Stream<Path> s = Files.walk(store.root())) {
			return s.filter(p -> !p.equals(store.root())).map(p -> store.root().relativize(p).toString()).sorted()
				.collect(Collectors.toList());
		}
	}

	@Test
	void completeDownloadIsVerifiedAndPlaced() throws Exception {
		server.serve("/m.pt", data);
		List<Transfer> seen = new ArrayList<>();
		InstalledModel m = install(entry("test_b", server.url("/m.pt")), 10, seen);
		assertArrayEquals(data, Files.readAllBytes(store.folder("test_b").resolve("checkpoint/test_b.pt")));
		assertEquals(List.of("test_b", "test_b/checkpoint", "test_b/checkpoint/test_b.pt", "test_b/install.json"),
			storeContents());
		assertTrue(m.verified);
		assertFalse(m.converted);
		assertEquals("publisher", m.files.get(0).hashOrigin);
		assertTrue(m.files.get(0).hash.startsWith("xxh128:"));
		Transfer last = seen.get(seen.size() - 1);
		assertEquals(data.length, last.done);
		assertEquals(data.length, last.total);
		assertTrue(ModelInstaller.describe(m).contains("downloaded and verified") && ModelInstaller.describe(m)
			.contains("conversion of family sam1 size test to ONNX is not available in this build yet"), ModelInstaller
				.describe(m));
		assertEquals(List.of("test_b"), store.names());
	}

	/**
	 * Cancel pressed while the server is mid-file: the download stops at the next block, the bytes
	 * received are kept (never a half-installed model), and the next install resumes them with
	 * Range and verifies the publisher's hash over the whole file.
	 */
	@Test
	void cancelledDownloadKeepsTheBytesAndTheNextInstallResumes() throws Exception {
		byte[] big = Files.readAllBytes(Path.of("src/test/resources/fixtures/convert/sam1-tiny.pt"));
		FixtureServer.File served = server.serve("/big.pt", big).holdingOnceAfter(100_000);
		CatalogEntry e = ModelCatalog.load(FixtureServer.catalog(tmp, Map.of("big", server.url("/big.pt")), Map.of(
			"big", big))).get("big");
		AtomicBoolean cancel = new AtomicBoolean();
		ModelInstaller cancellable = new ModelInstaller(store, new Downloader(10, null, cancel::get));
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			Future<InstalledModel> run = pool.submit(() -> cancellable.install(e, Transfer.Listener.NONE,
				ProgressListener.NONE));
			assertTrue(served.held.await(30, TimeUnit.SECONDS), "the download started");
			cancel.set(true);
			served.release.countDown();
			ExecutionException stopped = assertThrows(ExecutionException.class, () -> run.get(30, TimeUnit.SECONDS));
			assertTrue(stopped.getCause() instanceof CancelledException, String.valueOf(stopped.getCause()));
			Path partial = store.partial("big", "checkpoint");
			String msg = stopped.getCause().getMessage();
			assertTrue(msg.contains("was cancelled; nothing was installed") && msg.contains("kept in " + partial) &&
				msg.contains("installing big again resumes"), msg);
			long kept = Files.size(partial);
			assertTrue(kept > 0 && kept < big.length, "kept " + kept + " of " + big.length);
			assertFalse(store.isInstalled("big"));
			assertEquals(List.of(".big.partial"), storeContents(), "the partial file only: no model, no lock");

			InstalledModel m = new ModelInstaller(store, new Downloader(10, null, null)).install(e,
				Transfer.Listener.NONE, ProgressListener.NONE);
			assertEquals(List.of("/big.pt -", "/big.pt bytes=" + kept + "-"), server.requests);
			assertTrue(m.verified);
			assertEquals("publisher", m.files.get(0).hashOrigin);
			assertArrayEquals(big, Files.readAllBytes(store.folder("big").resolve("checkpoint/big.pt")));
			assertFalse(Files.exists(partial));
			assertEquals(List.of(), new ModelInstaller(store, null).verify("big", ProgressListener.NONE));
		}
		finally {
			served.release.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	void cutOffDownloadResumesWithRange() throws Exception {
		server.serve("/m.pt", data).cutOnceAfter(1000);
		CatalogEntry e = entry("test_b", server.url("/m.pt"));
		DownloadException cut = assertThrows(DownloadException.class, () -> install(e, 10, new ArrayList<>()));
		assertTrue(cut.getMessage().contains("Run the same command again"), cut.getMessage());
		assertFalse(cut.offline);
		Path partial = store.partial("test_b", "checkpoint");
		assertEquals(1000, Files.size(partial), "the bytes received are kept for resuming");
		assertFalse(store.isInstalled("test_b"));
		install(e, 10, new ArrayList<>());
		assertEquals(List.of("/m.pt -", "/m.pt bytes=1000-"), server.requests);
		assertArrayEquals(data, Files.readAllBytes(store.folder("test_b").resolve("checkpoint/test_b.pt")));
		assertFalse(Files.exists(partial));
	}

	@Test
	void serverIgnoringRangeRestartsFromZero() throws Exception {
		server.serve("/m.pt", data).cutOnceAfter(700).ignoringRange();
		CatalogEntry e = entry("test_b", server.url("/m.pt"));
		assertThrows(DownloadException.class, () -> install(e, 10, new ArrayList<>()));
		install(e, 10, new ArrayList<>());
		assertEquals(List.of("/m.pt -", "/m.pt bytes=700-"), server.requests, "it asked, the server sent all");
		assertArrayEquals(data, Files.readAllBytes(store.folder("test_b").resolve("checkpoint/test_b.pt")));
	}

	@Test
	void partialAnswerForOtherBytesRestartsFromZero() throws Exception {
		server.serve("/m.pt", data).cutOnceAfter(900).withWrongContentRange();
		CatalogEntry e = entry("test_b", server.url("/m.pt"));
		assertThrows(DownloadException.class, () -> install(e, 10, new ArrayList<>()));
		install(e, 10, new ArrayList<>());
		assertEquals(List.of("/m.pt -", "/m.pt bytes=900-", "/m.pt -"), server.requests, "206 from byte 0: asked again");
		assertArrayEquals(data, Files.readAllBytes(store.folder("test_b").resolve("checkpoint/test_b.pt")));
	}

	@Test
	void redirectsAreFollowedAndKeepTheRange() throws Exception {
		server.serve("/m.pt", data).cutOnceAfter(600);
		server.serve("/old.pt", data).redirectingTo(server.url("/m.pt"));
		CatalogEntry e = entry("test_b", server.url("/old.pt"));
		assertThrows(DownloadException.class, () -> install(e, 10, new ArrayList<>()));
		install(e, 10, new ArrayList<>());
		assertEquals(List.of("/old.pt -", "/m.pt -", "/old.pt bytes=600-", "/m.pt bytes=600-"), server.requests);
		assertArrayEquals(data, Files.readAllBytes(store.folder("test_b").resolve("checkpoint/test_b.pt")));
	}

	@Test
	void wrongHashIsRefusedAndNothingIsLeft() throws Exception {
		byte[] other = data.clone();
		other[100] ^= 1;
		server.serve("/m.pt", other);
		SamException e = assertThrows(SamException.class, () -> install(entry("test_b", server.url("/m.pt")), 10,
			new ArrayList<>()));
		assertTrue(e.getMessage().contains("but xxh128:" + org.fijisam.core.Xxh128.hex(data) + " is expected") && e
			.getMessage().contains("its hash is xxh128:" + org.fijisam.core.Xxh128.hex(other)), e.getMessage());
		assertTrue(e.getMessage().contains("deleted and nothing was installed"), e.getMessage());
		assertEquals(List.of(), storeContents());
	}

	@Test
	void notFoundIsAMessage() throws Exception {
		SamException e = assertThrows(SamException.class, () -> install(entry("test_b", server.url("/gone.pt")), 10,
			new ArrayList<>()));
		assertTrue(e.getMessage().contains("not found (HTTP 404)"), e.getMessage());
		assertEquals(List.of(), storeContents());
	}

	@Test
	void stalledServerTimesOutWithAMessage() throws Exception {
		server.serve("/m.pt", data).stallingAfter(500);
		long t0 = System.nanoTime();
		DownloadException e = assertThrows(DownloadException.class, () -> install(entry("test_b", server.url(
			"/m.pt")), 1, new ArrayList<>()));
		assertTrue((System.nanoTime() - t0) / 1e9 < 4.5, "gave up after the 1 s timeout, not when the server woke");
		assertTrue(e.getMessage().contains("sent nothing for 1 s after 500 B of 2 kB"), e.getMessage());
		assertFalse(store.isInstalled("test_b"));
	}

	@Test
	void offlineSaysToImportAFileDownloadedElsewhere() throws Exception {
		String url = "http://127.0.0.1:" + FixtureServer.closedPort() + "/m.pt";
		DownloadException e = assertThrows(DownloadException.class, () -> install(entry("test_b", url), 2,
			new ArrayList<>()));
		assertTrue(e.offline);
		assertTrue(e.getMessage().contains("Cannot reach 127.0.0.1") && e.getMessage().contains("download " + url +
			" on another computer") && e.getMessage().contains("sam-cli models import FILE --family sam1 --name " +
				"test_b"), e.getMessage());
		assertEquals(List.of(), storeContents());
	}

	@Test
	void unknownSizeUsesContentLengthAndNoHashRecordsSha256() throws Exception {
		server.serve("/m.pt", data);
		String json = "{\"models\": [{\"name\": \"nohash\", \"title\": \"t\", \"family\": \"sam2\", \"size\": " +
			"\"hiera_x\", \"licence\": \"Apache-2.0\", \"files\": [{\"role\": \"checkpoint\", \"url\": \"" + server
				.url("/m.pt") + "\", \"file\": \"m.pt\", \"bytes\": null, \"hash\": null}]}]}";
		CatalogEntry e = ModelCatalog.load(Files.writeString(tmp.resolve("c.json"), json)).get("nohash");
		InstalledModel m = install(e, 10, new ArrayList<>());
		assertEquals("computed at install", m.files.get(0).hashOrigin);
		assertEquals("sha256:" + org.fijisam.core.Hashes.sha256Hex(data), m.files.get(0).hash);
		assertTrue(ModelInstaller.describe(m).contains("no published hash; recorded now"), ModelInstaller.describe(m));
	}

	@Test
	void aFileThatIsNotAWeightsCheckpointIsRefused() throws Exception {
		data = Files.readAllBytes(Path.of("src/test/resources/fixtures/checkpoints/malicious.pt"));
		server.serve("/m.pt", data);
		SamException e = assertThrows(SamException.class, () -> install(entry("bad", server.url("/m.pt")), 10,
			new ArrayList<>()));
		assertFalse(e.getMessage().isBlank());
		assertEquals(List.of(), storeContents());
	}
}
