package org.fijisam.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers (model file verification, cache file names). */
public final class Hashes {

	private Hashes() {}

	public static String sha256Hex(byte[] data) {
		MessageDigest md = sha256();
		md.update(data);
		return hex(md.digest());
	}

	/** The hash of a file, streamed: ONNX files of large models do not fit in one array. */
	public static String sha256Hex(Path file) throws IOException {
		MessageDigest md = sha256();
		byte[] buf = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buf)) > 0;)
				md.update(buf, 0, n);
		}
		return hex(md.digest());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}

	private static String hex(byte[] d) {
		StringBuilder sb = new StringBuilder(64);
		for (byte b : d)
			sb.append(String.format("%02x", b));
		return sb.toString();
	}
}
