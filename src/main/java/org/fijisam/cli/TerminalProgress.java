package org.fijisam.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.fijisam.core.ProgressListener;

/** Core progress as a one-line bar on stderr, redrawn at most a few times per second. */
final class TerminalProgress implements ProgressListener {

	private static final int WIDTH = 30;
	private final PrintStream err;
	private final String prefix;
	private long last;
	private int lastLength;

	TerminalProgress(PrintStream err, String prefix) {
		this.err = err;
		this.prefix = prefix;
	}

	@Override
	public synchronized void progress(double fraction, String message) {
		long now = System.nanoTime();
		if (fraction < 1 && now - last < 200_000_000L) return;
		last = now;
		int filled = (int) Math.round(fraction * WIDTH);
		StringBuilder bar = new StringBuilder("\r").append(prefix).append(" [");
		for (int i = 0; i < WIDTH; i++)
			bar.append(i < filled ? '#' : '.');
		bar.append(String.format(Locale.ROOT, "] %3d%% %s", Math.round(fraction * 100), message));
		int length = bar.length();
		// Blank out the rest of a longer previous line.
		for (int i = length; i < lastLength; i++)
			bar.append(' ');
		lastLength = length;
		err.print(bar);
		err.flush();
	}

	/** Ends the line. */
	synchronized void finish() {
		if (lastLength > 0) err.println();
		lastLength = 0;
	}
}
