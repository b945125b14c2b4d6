package org.fijisam.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fijisam.core.Xxh128;

/**
 * A hash as publishers write it, "ALGORITHM:HEX": {@code xxh128} (micro-sam), {@code sha256},
 * or {@code gitblob} (the id git gives a file: SHA-1 of "blob SIZE\0" and the content, which a
 * repository's tree publishes for every file it holds). Files are hashed streamed, with all the
 * wanted algorithms in one read, since checkpoints are gigabytes.
 */
public final class FileHash {

	public static final String SHA256 = "sha256", XXH128 = "xxh128", GITBLOB = "gitblob";

	public final String algorithm;
	public final String hex;

	public FileHash(String algorithm, String hex) {
		this.algorithm = algorithm.toLowerCase(Locale.ROOT);
		this.hex = hex.toLowerCase(Locale.ROOT);
		int digits = this.algorithm.equals(SHA256) ? 64 : this.algorithm.equals(XXH128) ? 32 : this.algorithm
			.equals(GITBLOB) ? 40 : -1;
		if (digits < 0) throw new IllegalArgumentException("unknown hash algorithm '" + algorithm + "' (known: " +
			SHA256 + ", " + XXH128 + ", " + GITBLOB + ")");
		if (!this.hex.matches("[0-9a-f]{" + digits + "}")) throw new IllegalArgumentException("a " + algorithm +
			" hash has " + digits + " hex digits, not '" + hex + "'");
	}

	/** Parses "xxh128:0123..." ; null for null. */
	public static FileHash parse(String text) {
		if (text == null) return null;
		int colon = text.indexOf(':');
		if (colon < 0) throw new IllegalArgumentException("a hash is written ALGORITHM:HEX, not '" + text + "'");
		return new FileHash(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
	}

	@Override
	public String toString() {
		return algorithm + ":" + hex;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof FileHash && toString().equals(o.toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

	/** Hashes of a file, one read for all the algorithms asked for; keyed by algorithm. */
	public static Map<String, FileHash> of(Path file, List<String> algorithms) throws IOException {
		long size = Files.size(file);
		Hasher h = new Hasher(algorithms, size);
		byte[] buf = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buf)) > 0;)
				h.update(buf, 0, n);
		}
		return h.results();
	}

	/** The hash of a file with this hash's algorithm. */
	public FileHash of(Path file) throws IOException {
		return of(file, List.of(algorithm)).get(algorithm);
	}

	/** Hashes a stream as it passes (e.g. while a file is copied). */
	public static final class Hasher {
		private final List<String> algorithms;
		private final List<Object> digests = new ArrayList<>();

		/** @param size the total length (git's blob id starts with it) */
		public Hasher(List<String> algorithms, long size) {
			this.algorithms = algorithms;
			for (String a : algorithms) {
				if (a.equals(XXH128)) digests.add(new Xxh128());
				else if (a.equals(SHA256)) digests.add(digest("SHA-256"));
				else if (a.equals(GITBLOB)) {
					MessageDigest md = digest("SHA-1");
					md.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
					digests.add(md);
				}
				else throw new IllegalArgumentException("unknown hash algorithm " + a);
			}
		}

		public void update(byte[] b, int off, int len) {
			for (Object d : digests)
				if (d instanceof Xxh128) ((Xxh128) d).update(b, off, len);
				else ((MessageDigest) d).update(b, off, len);
		}

		public Map<String, FileHash> results() {
			Map<String, FileHash> out = new LinkedHashMap<>();
			for (int i = 0; i < digests.size(); i++) {
				Object d = digests.get(i);
				String hex = d instanceof Xxh128 ? ((Xxh128) d).hex() : hex(((MessageDigest) d).digest());
				out.put(algorithms.get(i), new FileHash(algorithms.get(i), hex));
			}
			return out;
		}

		private static MessageDigest digest(String name) {
			try {
				return MessageDigest.getInstance(name);
			}
			catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(name + " is missing from this Java runtime", e);
			}
		}

		private static String hex(byte[] d) {
			StringBuilder sb = new StringBuilder();
			for (byte b : d)
				sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
			return sb.toString();
		}
	}
}
