package org.fijisam.spark;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Progress on the driver's console: units finished out of all (about twenty lines for a long
 * job), and executors lost (their units run again elsewhere).
 */
final class TaskProgress extends SparkListener {

	private final int total;
	private final int step;
	private final PrintStream log;
	private final AtomicInteger finished = new AtomicInteger();
	private final long start = System.nanoTime();

	TaskProgress(int total, PrintStream log) {
		this.total = total;
		this.step = Math.max(1, total / 20);
		this.log = log;
	}

	@Override
	public void onTaskEnd(SparkListenerTaskEnd end) {
		if (!end.taskInfo().successful()) return;
		int n = finished.incrementAndGet();
		if (n % step == 0 || n == total) log.printf("sam-spark: %d/%d units finished (%.1f s)%n", n, total, (System
			.nanoTime() - start) / 1e9);
	}

	@Override
	public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
		log.println("sam-spark: executor " + removed.executorId() + " lost (" + removed.reason() + "); its units run " +
			"again on the others");
	}
}
