package org.fijisam.core;

import java.util.Locale;

/** Where and how a model runs: execution provider and CPU thread count. */
public final class ExecutionOptions {

	/** Execution provider choice. AUTO tries CUDA and quietly settles for CPU. */
	public enum Provider {
		CPU, CUDA, AUTO;

		public static Provider parse(String text) {
			try {
				return valueOf(text.trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("Unknown provider '" + text + "': use cpu, cuda or auto.");
			}
		}
	}

	private final Provider provider;
	private final int threads;
	private final int maxBatch;

	public ExecutionOptions(Provider provider, int threads, int maxBatch) {
		if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic)");
		if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
		this.provider = provider;
		this.threads = threads;
		this.maxBatch = maxBatch;
	}

	public static ExecutionOptions cpu() {
		return new ExecutionOptions(Provider.CPU, 0, 64);
	}

	public Provider provider() { return provider; }

	/** Intra-op threads; 0 lets ONNX Runtime choose (one per core). */
	public int threads() { return threads; }

	/** Largest number of prompts decoded in one run when the decoder has a batch axis. */
	public int maxBatch() { return maxBatch; }

	public ExecutionOptions withProvider(Provider p) {
		return new ExecutionOptions(p, threads, maxBatch);
	}

	public ExecutionOptions withThreads(int t) {
		return new ExecutionOptions(provider, t, maxBatch);
	}

	public ExecutionOptions withMaxBatch(int b) {
		return new ExecutionOptions(provider, threads, b);
	}
}
