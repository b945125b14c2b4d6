package org.fijisam.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fijisam.core.Cancellation;
import org.fijisam.core.CancelledException;
import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;

/**
 * Downloads one file into a partial file, resuming where an earlier attempt stopped. HTTP Range
 * is asked for the missing bytes and the answer used only if it is a 206 whose Content-Range
 * starts at the partial file's end; any other answer (a server that ignores Range sends 200 and
 * the whole file) restarts from byte 0. Proxies: the JDK's default ProxySelector (which reads
 * http(s).proxyHost/Port, and the system's settings with -Djava.net.useSystemProxies=true), or
 * one proxy given explicitly. Connect and read timeouts turn a stalled server into a message.
 * The downloader only fetches bytes: the caller verifies them before anything uses them.
 */
public final class Downloader {

	/** Seconds without data (and to connect) before giving up; the system property overrides the default. */
	public static final String TIMEOUT_PROPERTY = "sam.download.timeout_s";
	static final int DEFAULT_TIMEOUT_S = 30;
	private static final int MAX_REDIRECTS = 8;
	private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

	private final int timeoutMs;
	private final Proxy proxy;
	private final Cancellation cancellation;

	public Downloader(int timeoutSeconds, Proxy proxy, Cancellation cancellation) {
		if (timeoutSeconds < 1) throw new IllegalArgumentException("the timeout must be at least 1 second");
		this.timeoutMs = timeoutSeconds * 1000;
		this.proxy = proxy;
		this.cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
	}

	/** Timeout from {@value #TIMEOUT_PROPERTY} (default 30 s), the system's proxies. */
	public static Downloader fromSystem() {
		return new Downloader(timeoutFromSystem(), null, Cancellation.NEVER);
	}

	static int timeoutFromSystem() {
		try {
			return Math.max(1, Integer.parseInt(System.getProperty(TIMEOUT_PROPERTY, "" + DEFAULT_TIMEOUT_S).trim()));
		}
		catch (NumberFormatException e) {
			return DEFAULT_TIMEOUT_S;
		}
	}

	/** "host:port" as an HTTP proxy (the CLI's --proxy). */
	public static Proxy proxy(String hostPort) {
		int colon = hostPort.lastIndexOf(':');
		try {
			if (colon <= 0) throw new NumberFormatException();
			int port = Integer.parseInt(hostPort.substring(colon + 1));
			if (port < 1 || port > 65535) throw new NumberFormatException();
			return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port));
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("a proxy is written host:port (e.g. proxy.example.org:3128), not '" +
				hostPort + "'");
		}
	}

	public Downloader withTimeout(int seconds) {
		return new Downloader(seconds, proxy, cancellation);
	}

	public Downloader withProxy(Proxy p) {
		return new Downloader(timeoutMs / 1000, p, cancellation);
	}

	public Downloader withCancellation(Cancellation c) {
		return new Downloader(timeoutMs / 1000, proxy, c);
	}

	/**
	 * Completes {@code partial} with the bytes of {@code url}.
	 *
	 * @param expected the file's size, or -1 when unknown
	 * @return the size of the complete file
	 */
	public long download(String url, Path partial, long expected, String label, Transfer.Listener listener)
		throws SamException
	{
		cancellation.check();
		long have = 0;
		try {
			if (Files.isRegularFile(partial)) have = Files.size(partial);
			if (expected >= 0 && have > expected) have = restart(partial);
			if (expected >= 0 && have == expected && have > 0) return have;
			Files.createDirectories(partial.toAbsolutePath().getParent());
		}
		catch (IOException e) {
			throw FileProblems.error("prepare the download", partial, e);
		}
		HttpURLConnection c = connect(url, have);
		try {
			int code = status(c, url);
			boolean append = false;
			long total = -1;
			if (have > 0 && code == HttpURLConnection.HTTP_PARTIAL) {
				Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
				if (m.matches() && Long.parseLong(m.group(1)) == have && (m.group(3).equals("*") || expected < 0 ||
					Long.parseLong(m.group(3)) == expected))
				{
					append = true;
					total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
				}
			}
			if (!append && code != HttpURLConnection.HTTP_OK) {
				// A 206 for other bytes, or 416 for a partial file the server no longer matches: start again.
				c.disconnect();
				have = restart(partial);
				c = connect(url, 0);
				code = status(c, url);
			}
			if (code != HttpURLConnection.HTTP_OK && !append) throw httpError(url, code);
			if (!append) {
				have = restart(partial);
				total = c.getContentLengthLong();
			}
			if (expected >= 0 && total >= 0 && total != expected) throw new DownloadException("The server offers " +
				total + " bytes for " + url + " but " + expected + " are expected: the file there is not the one " +
				"the catalog names. Nothing was installed.", false, null);
			if (total < 0) total = expected;
			return copy(c, url, partial, have, total, append, label, listener);
		}
		catch (IOException e) {
			throw new DownloadException("Cannot start the download in " + partial.getParent() + ": " + FileProblems.cause(
				partial, e), false, e);
		}
		finally {
			c.disconnect();
		}
	}

	private long copy(HttpURLConnection c, String url, Path partial, long have, long total, boolean append,
		String label, Transfer.Listener listener) throws SamException
	{
		long done = have, start = System.nanoTime(), lastReport = 0;
		byte[] buf = new byte[1 << 16];
		InputStream in;
		try {
			in = c.getInputStream();
		}
		catch (IOException e) {
			throw networkError(url, e, done, total);
		}
		try (InputStream body = in; OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE,
			append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
		{
			while (true) {
				int n;
				try {
					n = body.read(buf);
				}
				catch (IOException e) {
					throw networkError(url, e, done, total);
				}
				if (n < 0) break;
				try {
					out.write(buf, 0, n);
				}
				catch (IOException e) {
					throw diskError(partial, e);
				}
				done += n;
				// Every block: a Cancel button (or Esc) stops at once, and what came is kept for resuming.
				if (cancellation.isCancelled()) throw new CancelledException();
				long now = System.nanoTime();
				if (now - lastReport > 200_000_000L) {
					lastReport = now;
					listener.transferred(new Transfer(label, done, total, rate(done - have, start, now)));
				}
			}
		}
		catch (IOException e) {
			throw diskError(partial, e);
		}
		listener.transferred(new Transfer(label, done, total, rate(done - have, start, System.nanoTime())));
		if (total >= 0 && done < total) throw new DownloadException("The connection to " + host(url) + " closed " +
			"after " + Bytes.text(done) + " of " + Bytes.text(total) + ". Run the same command again: the download " +
			"resumes where it stopped.", false, null);
		return done;
	}

	private static double rate(long bytes, long start, long now) {
		double s = (now - start) / 1e9;
		return s > 0.05 ? bytes / s : 0;
	}

	/** Opens a connection asking for bytes from {@code from} on, following redirects (also http to https). */
	private HttpURLConnection connect(String url, long from) throws SamException {
		String at = url;
		for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
			HttpURLConnection c;
			try {
				URL u = new URI(at).toURL();
				if (!u.getProtocol().equals("http") && !u.getProtocol().equals("https")) throw new DownloadException(
					"Only http and https downloads are supported, not " + at + ".", false, null);
				c = (HttpURLConnection) (proxy != null ? u.openConnection(proxy) : u.openConnection());
				c.setConnectTimeout(timeoutMs);
				c.setReadTimeout(timeoutMs);
				c.setInstanceFollowRedirects(false);
				c.setRequestProperty("User-Agent", "fiji-sam model installer");
				// The bytes as stored: a compressing proxy would break resuming and the hash.
				c.setRequestProperty("Accept-Encoding", "identity");
				if (from > 0) c.setRequestProperty("Range", "bytes=" + from + "-");
				int code = c.getResponseCode();
				if (code >= 300 && code < 400 && code != 304 && c.getHeaderField("Location") != null) {
					at = new URI(at).resolve(c.getHeaderField("Location")).toString();
					c.disconnect();
					continue;
				}
				return c;
			}
			catch (IOException e) {
				throw networkError(at, e, from, -1);
			}
			catch (java.net.URISyntaxException | IllegalArgumentException e) {
				throw new DownloadException("The address " + at + " is not a valid URL.", false, e);
			}
		}
		throw new DownloadException("The server redirected " + url + " more than " + MAX_REDIRECTS + " times.",
			false, null);
	}

	private int status(HttpURLConnection c, String url) throws SamException {
		try {
			return c.getResponseCode();
		}
		catch (IOException e) {
			throw networkError(url, e, 0, -1);
		}
	}

	private static DownloadException httpError(String url, int code) {
		String what = code == 404 ? "not found (HTTP 404): the file was moved or removed; a newer version of the " +
			"plugin may know its new address" : code == 403 || code == 401 ? "refused (HTTP " + code + "): the server " +
				"or a proxy does not allow the download" : code >= 500 ? "a server error (HTTP " + code + "); try " +
					"again later" : "answered HTTP " + code;
		return new DownloadException("Downloading " + url + ": " + what + ".", false, null);
	}

	private DownloadException networkError(String url, IOException e, long done, long total) {
		String host = host(url);
		if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException)
			return new DownloadException("Cannot reach " + host + " (" + (e instanceof UnknownHostException
				? "the name is not known: no network, or a proxy is needed" : "the connection was refused or there is " +
					"no route") + ").", true, e);
		if (e instanceof SocketTimeoutException) {
			if (done == 0 && total < 0 && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains(
				"connect")) return new DownloadException("Cannot connect to " + host + " within " + timeoutMs / 1000 +
					" s (no network, or a proxy is needed).", true, e);
			return new DownloadException("The server " + host + " sent nothing for " + timeoutMs / 1000 + " s" +
				(done > 0 ? " after " + Bytes.text(done) + (total > 0 ? " of " + Bytes.text(total) : "") : "") +
				". Run the same command again later: the download resumes where it stopped.", false, e);
		}
		return new DownloadException("The download from " + host + " was interrupted" + (done > 0 ? " after " + Bytes
			.text(done) : "") + " (" + FileProblems.cause(null, e) + ") Run the same command again: the download " +
			"resumes where it stopped.", false, e);
	}

	/** A full disk deletes the partial file (its space is what is missing); other faults keep it for resuming. */
	private static SamException diskError(Path partial, IOException e) {
		if (FileProblems.isDiskFull(e)) try {
			Files.deleteIfExists(partial);
		}
		catch (IOException ignored) {
			// Reported below either way.
		}
		return FileProblems.error("write the download", partial, e);
	}

	private static long restart(Path partial) throws IOException {
		Files.deleteIfExists(partial);
		return 0;
	}

	static String host(String url) {
		try {
			String h = new URI(url).getHost();
			return h == null ? url : h;
		}
		catch (java.net.URISyntaxException e) {
			return url;
		}
	}
}
