package org.fijisam.cli;

import java.util.Arrays;

/** Repeated timing with warm-up; reports the median (robust to a busy 2-core machine). */
final class Stopwatch {

	interface Task {
		void run() throws Exception;
	}

	private Stopwatch() {}

	/**
	 * Median milliseconds of {@code repeats} runs after a warm-up of at least {@code warmup} runs
	 * and {@link #WARMUP_NANOS}, starting from a collected heap.
	 * <p>
	 * Why both: without them a figure could depend on what was timed before it. The garbage of
	 * earlier figures (preprocessing allocates ~20 MB a run) made the JVM grow its heap during a
	 * later one, and every allocation into the new, never-touched memory took a page fault: for
	 * SAM 2.1 hiera-t that tripled the click figure (68 against 25 ms, 2,600 page faults a click,
	 * docs/measured/bench-heap-growth.txt). The collection alone did not settle it: G1 shrinks the
	 * heap after a full collection and grows it again within the next second of allocation, so
	 * the warm-up also lasts long enough for that growth to happen before the timing starts.
	 */
	static double medianMs(int warmup, int repeats, Task task) throws Exception {
		System.gc();
		long start = System.nanoTime();
		for (int i = 0; i < warmup || System.nanoTime() - start < WARMUP_NANOS; i++)
			task.run();
		double[] ms = new double[repeats];
		for (int i = 0; i < repeats; i++) {
			long t0 = System.nanoTime();
			task.run();
			ms[i] = (System.nanoTime() - t0) / 1e6;
		}
		Arrays.sort(ms);
		return repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
	}

	/** The shortest warm-up of a figure: 3 s (see {@link #medianMs}). */
	static final long WARMUP_NANOS = 3_000_000_000L;
}
