package org.fijisam.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers (model file verification, cache file names). */
public final class Hashes {

	private Hashes() {}

	public static String sha256Hex(byte[] data) {
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
			StringBuilder sb = new StringBuilder(64);
			for (byte b : d)
				sb.append(String.format("%02x", b));
			return sb.toString();
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
	}
}
