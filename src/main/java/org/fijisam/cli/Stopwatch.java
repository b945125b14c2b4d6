package org.fijisam.cli;

import java.util.Arrays;

/** Repeated timing with warm-up; reports the median (robust to a busy 2-core machine). */
final class Stopwatch {

	interface Task {
		void run() throws Exception;
	}

	private Stopwatch() {}

	/** Median milliseconds of {@code repeats} runs after {@code warmup} untimed runs. */
	static double medianMs(int warmup, int repeats, Task task) throws Exception {
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
