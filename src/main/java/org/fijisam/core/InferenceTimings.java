package org.fijisam.core;

import java.util.Locale;

/** Accumulated wall-clock time of each inference stage (for the CLI and benchmarks). */
public final class InferenceTimings {

	private long preprocessNanos;
	private long encodeNanos;
	private long decodeNanos;
	private int encodes;
	private int prompts;

	synchronized void addPreprocess(long nanos) { preprocessNanos += nanos; }

	synchronized void addEncode(long nanos) { encodeNanos += nanos; encodes++; }

	synchronized void addDecode(long nanos, int promptCount) { decodeNanos += nanos; prompts += promptCount; }

	public synchronized double preprocessMs() { return preprocessNanos / 1e6; }

	public synchronized double encodeMs() { return encodeNanos / 1e6; }

	public synchronized double decodeMs() { return decodeNanos / 1e6; }

	public synchronized int encodes() { return encodes; }

	public synchronized int prompts() { return prompts; }

	public synchronized void reset() {
		preprocessNanos = encodeNanos = decodeNanos = 0;
		encodes = prompts = 0;
	}

	@Override
	public synchronized String toString() {
		return String.format(Locale.ROOT,
			"preprocess %.1f ms, encoder %.1f ms (%d run%s), decoder %.1f ms (%d prompt%s)",
			preprocessMs(), encodeMs(), encodes, encodes == 1 ? "" : "s", decodeMs(), prompts,
			prompts == 1 ? "" : "s");
	}
}
