package org.fijisam.models;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.fijisam.core.Xxh128;

/**
 * A local HTTP server for download tests (the JDK's HttpServer): serves files with Range support,
 * and can misbehave on purpose: close the connection after N bytes (once), stall, ignore Range,
 * hold the body after N bytes until the test releases it (once), or answer 404. Records the
 * Range header of every request.
 */
public final class FixtureServer implements AutoCloseable {

	/** How one path behaves. */
	public static final class File {
		final byte[] data;
		boolean honourRange = true;
		/** Close the connection after this many body bytes, on the first request only (-1: never). */
		int cutAfter = -1;
		/** Stop sending after this many body bytes and wait (-1: never). */
		int stallAfter = -1;
		int status = 200;
		/** Answer a Range request with 206 but bytes from 0 (a broken cache in between). */
		boolean wrongRange;
		/** Answer with a redirect to this path instead. */
		String redirect;
		/** Send this many body bytes, count down {@link #held} and wait for {@link #release} (first request only). */
		int holdAfter = -1;
		/** Counted down when the held request has sent its first bytes (the client is mid-download). */
		public final CountDownLatch held = new CountDownLatch(1);
		/** Counted down by the test to let the held request go on. */
		public final CountDownLatch release = new CountDownLatch(1);

		File(byte[] data) {
			this.data = data;
		}

		public File ignoringRange() {
			honourRange = false;
			return this;
		}

		public File cutOnceAfter(int bytes) {
			cutAfter = bytes;
			return this;
		}

		public File stallingAfter(int bytes) {
			stallAfter = bytes;
			return this;
		}

		public File withWrongContentRange() {
			wrongRange = true;
			return this;
		}

		public File holdingOnceAfter(int bytes) {
			holdAfter = bytes;
			return this;
		}

		public File redirectingTo(String path) {
			redirect = path;
			return this;
		}

		public File answering(int code) {
			status = code;
			return this;
		}
	}

	private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

	private final HttpServer server;
	private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "fixture-http");
		t.setDaemon(true);
		return t;
	});
	private final Map<String, File> files = new ConcurrentHashMap<>();
	/** "path range" of every request, range "-" when none was asked. */
	public final List<String> requests = new CopyOnWriteArrayList<>();

	public FixtureServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", this::handle);
		server.setExecutor(threads);
		server.start();
	}

	public File serve(String path, byte[] data) {
		File f = new File(data);
		files.put(path, f);
		return f;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	private void handle(HttpExchange x) throws IOException {
		String path = x.getRequestURI().getPath();
		String range = x.getRequestHeaders().getFirst("Range");
		requests.add(path + " " + (range == null ? "-" : range));
		File f = files.get(path);
		if (f != null && f.redirect != null) {
			x.getResponseHeaders().add("Location", f.redirect);
			x.sendResponseHeaders(302, -1);
			x.close();
			return;
		}
		if (f == null || f.status != 200) {
			byte[] msg = "not here".getBytes(StandardCharsets.UTF_8);
			x.sendResponseHeaders(f == null ? 404 : f.status, msg.length);
			x.getResponseBody().write(msg);
			x.close();
			return;
		}
		int from = 0;
		Matcher m = range == null ? null : RANGE.matcher(range);
		if (m != null && m.matches() && f.honourRange) from = Integer.parseInt(m.group(1));
		if (from > 0 && f.wrongRange) {
			x.getResponseHeaders().add("Content-Range", "bytes 0-" + (f.data.length - 1) + "/" + f.data.length);
			x.sendResponseHeaders(206, f.data.length);
			from = 0;
		}
		else if (from > 0) {
			x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (f.data.length - 1) + "/" + f.data.length);
			x.sendResponseHeaders(206, f.data.length - from);
		}
		else x.sendResponseHeaders(200, f.data.length);
		OutputStream out = x.getResponseBody();
		int end = f.data.length;
		int cut = f.cutAfter;
		if (cut >= 0) f.cutAfter = -1;
		int hold = f.holdAfter;
		if (hold >= 0) f.holdAfter = -1;
		try {
			if (cut >= 0) {
				out.write(f.data, from, Math.min(cut, end - from));
				out.flush();
				// Drop the connection mid-body, as a network fault would.
				x.close();
				return;
			}
			if (hold >= 0) {
				out.write(f.data, from, Math.min(hold, end - from));
				out.flush();
				f.held.countDown();
				f.release.await();
				from += Math.min(hold, end - from);
			}
			if (f.stallAfter >= 0) {
				out.write(f.data, from, Math.min(f.stallAfter, end - from));
				out.flush();
				Thread.sleep(5000);
			}
			out.write(f.data, from, end - from);
			out.close();
		}
		catch (IOException | InterruptedException e) {
			x.close();
		}
	}

	/** A port where nothing listens (bound, then closed). */
	public static int closedPort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}

	/**
	 * Writes a catalog with one entry per file: name, family sam1, size "test" (no conversion
	 * template has that size: these files are bytes for download tests, not models), the file's
	 * xxh128 and size.
	 */
	public static Path catalog(Path dir, Map<String, String> nameToUrl, Map<String, byte[]> nameToData)
		throws IOException
	{
		return catalog(dir, nameToUrl, nameToData, "test");
	}

	/** The same with another size for every entry (e.g. "tiny", the test template a real checkpoint converts with). */
	public static Path catalog(Path dir, Map<String, String> nameToUrl, Map<String, byte[]> nameToData, String size)
		throws IOException
	{
		return catalog(dir, nameToUrl, nameToData, "sam1", size);
	}

	/** The same with another family too (e.g. "sam2" "tiny"). */
	public static Path catalog(Path dir, Map<String, String> nameToUrl, Map<String, byte[]> nameToData, String family,
		String size) throws IOException
	{
		StringBuilder sb = new StringBuilder("{\"version\": 1, \"models\": [");
		boolean first = true;
		for (Map.Entry<String, String> e : nameToUrl.entrySet()) {
			byte[] d = nameToData.get(e.getKey());
			sb.append(first ? "" : ",").append("{\"name\": \"").append(e.getKey()).append(
				"\", \"title\": \"Test ").append(e.getKey()).append("\", \"family\": \"" + family + "\", \"size\": \"" + size + "\", " +
					"\"licence\": \"Apache-2.0\", \"files\": [{\"role\": \"checkpoint\", \"url\": \"").append(e
						.getValue()).append("\", \"file\": \"").append(e.getKey()).append(".pt\", \"bytes\": ").append(
							d.length).append(", \"hash\": \"xxh128:").append(Xxh128.hex(d)).append(
								"\", \"url_source\": \"test\", \"hash_source\": \"test\"}]}");
			first = false;
		}
		sb.append("]}");
		return Files.writeString(dir.resolve("catalog.json"), sb.toString());
	}

	@Override
	public void close() {
		server.stop(0);
		threads.shutdownNow();
	}
}
