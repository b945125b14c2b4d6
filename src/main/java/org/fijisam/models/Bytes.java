package org.fijisam.models;

import java.util.Locale;

/** Byte counts, rates and times in the words the progress lines use. */
public final class Bytes {

	private Bytes() {}

	/** 1 MB = 10^6 bytes, as download tools and disk makers count. */
	public static String text(long bytes) {
		if (bytes < 1000) return bytes + " B";
		if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
		if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
		return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
	}

	/** A duration as m:ss or h:mm:ss. */
	public static String duration(double seconds) {
		long s = Math.round(seconds);
		if (s < 3600) return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
		return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
	}
}
