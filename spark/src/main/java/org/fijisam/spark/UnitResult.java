package org.fijisam.spark;

import java.io.Serializable;

/**
 * What became of one unit: one row of the job's summary.
 *
 * @param name the unit's output base name
 * @param input the input image
 * @param status done, skipped (an earlier run finished it) or failed
 * @param result the work's short result ("42 objects") or, for a failure, what went wrong
 * @param seconds time spent on the unit in the task (0 when skipped on the driver)
 * @param host the machine that ran the task
 * @param executor Spark's executor id ("driver" in local mode)
 * @param worker the executor JVM (pid@host), to tell executors apart in tests and logs
 * @param resourceCreations how often that JVM had made the shared resource by then (1 when it is shared)
 */
public record UnitResult(String name, String input, Status status, String result, double seconds, String host,
	String executor, String worker, int resourceCreations) implements Serializable {

	public enum Status {
		DONE, SKIPPED, FAILED;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/** A unit the driver found finished before the job started. */
	static UnitResult skippedBeforeStart(WorkUnit unit) {
		return new UnitResult(unit.name(), unit.input(), Status.SKIPPED, "outputs already there", 0, "", "", "", 0);
	}
}
