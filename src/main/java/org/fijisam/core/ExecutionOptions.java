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

	/**
	 * Front ends check what users type with {@link #checkThreads}; here more threads than cores
	 * are allowed, so that tests can run several decoder chunks at once on any machine.
	 */
	public ExecutionOptions(Provider provider, int threads, int maxBatch) {
		if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = automatic)");
		if (maxBatch < 0) throw new IllegalArgumentException("maxBatch must be >= 0 (0 = automatic)");
		this.provider = provider;
		this.threads = threads;
		this.maxBatch = maxBatch;
	}

	/**
	 * The one rule for thread counts, which every front end applies before any work: 0 means all
	 * cores, else 1 up to the machine's core count. More threads than cores only slow ONNX Runtime
	 * down (1000 threads on 2 cores: 477 s instead of 4 s).
	 *
	 * @param asWritten how the front end names the setting, e.g. "--threads " or "threads="
	 * @return {@code threads}
	 * @throws IllegalArgumentException naming the core count and the values to use
	 */
	public static int checkThreads(String asWritten, int threads) {
		int cores = Runtime.getRuntime().availableProcessors();
		if (threads >= 0 && threads <= cores) return threads;
		String why = threads < 0 ? "a thread count cannot be negative" : "this machine has " + cores + (cores == 1
			? " core" : " cores");
		throw new IllegalArgumentException(asWritten + threads + ": " + why + "; use 1.." + cores + ", or 0 for all");
	}

	public static ExecutionOptions cpu() {
		return new ExecutionOptions(Provider.CPU, 0, 0);
	}

	public Provider provider() { return provider; }

	/** Intra-op threads, 1 to the core count; 0 lets ONNX Runtime choose (one per core). */
	public int threads() { return threads; }

	/** Largest number of prompts decoded in one run when the decoder has a batch axis; 0 = automatic. */
	public int maxBatch() { return maxBatch; }

	/**
	 * The batch limit on the provider a model actually runs on: the one set, or automatically 8
	 * prompts per run on the CPU and 64 on CUDA. On the CPU small runs are both faster and far
	 * smaller: a converted ViT-B's segment everything (1024 prompts, two runs at once) took 0.82x
	 * the time and 1.9 instead of 4.9 GB with 8 prompts per run than with 32
	 * (docs/measured/decoder-batch-cpu.txt);
	 * a run's largest intermediate tensors (65536 x 32 floats, 8 MB, per prompt after the
	 * upscaling) then stay near the caches instead of streaming through memory.
	 */
	public int maxBatchOn(String runningProvider) {
		if (maxBatch > 0) return maxBatch;
		return "CUDA".equals(runningProvider) ? 64 : 8;
	}

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
