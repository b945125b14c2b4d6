package org.fijisam.core.amg;

import java.util.Locale;

import org.fijisam.core.ProgressListener;

/** Forwards progress with an estimated time left appended to the message. */
public final class ProgressEta {

	private final ProgressListener listener;
	private final long start = System.nanoTime();

	public ProgressEta(ProgressListener listener) {
		this.listener = listener == null ? ProgressListener.NONE : listener;
	}

	public void report(double fraction, String message) {
		double f = Math.max(0, Math.min(1, fraction));
		listener.progress(f, message + eta(f));
	}

	private String eta(double f) {
		double elapsed = (System.nanoTime() - start) / 1e9;
		if (f <= 0.02 || f >= 1 || elapsed < 1) return "";
		return ", ETA " + format(elapsed * (1 - f) / f);
	}

	static String format(double seconds) {
		long s = Math.round(seconds);
		if (s < 60) return s + " s";
		if (s < 3600) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
		return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
	}
}
