package org.fijisam.cli;

import java.util.Arrays;

/** Repeated timing with warm-up; reports the median (robust to a busy 2-core machine). */
final class Stopwatch {

	interface Task {
		void run() throws Exception;
	}

	private Stopwatch() {}

	/**
	 * Median milliseconds of {@code repeats} runs after {@code warmup} untimed runs, starting
	 * from a collected heap.
	 * <p>
	 * The collection is there because without it a figure could depend on what was timed before
	 * it: the garbage of earlier figures (preprocessing allocates ~20 MB a run) made the JVM grow
	 * its heap during a later one, and every allocation into the new, never-touched memory took a
	 * page fault. For SAM 2.1 hiera-t that tripled the click figure (68 against 25 ms, 2,600
	 * page faults a click, docs/measured/bench-heap-growth.txt); the steady state of a running
	 * Fiji is the collected one.
	 */
	static double medianMs(int warmup, int repeats, Task task) throws Exception {
		System.gc();
		for (int i = 0; i < warmup; i++)
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
}
