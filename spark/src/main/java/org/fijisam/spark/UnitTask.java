package org.fijisam.spark;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.SparkEnv;

/**
 * Runs one unit inside a Spark task: the shared resource of this executor, the work, the time
 * and where it ran. A unit that fails (an unreadable image) becomes a FAILED row instead of a
 * task failure: Spark would retry it and then abort the whole job. Only a lost executor (a
 * killed machine) makes Spark run the unit again elsewhere.
 */
final class UnitTask<R> implements Serializable {

	private final UnitWork<R> work;
	private final String outputDir;

	UnitTask(UnitWork<R> work, Path outputDir) {
		this.work = work;
		this.outputDir = outputDir.toAbsolutePath().toString();
	}

	UnitResult run(WorkUnit unit) {
		long start = System.nanoTime();
		Path out = Path.of(outputDir);
		UnitResult.Status status;
		String result;
		try {
			if (!Files.isDirectory(out)) throw new IllegalStateException("the output folder " + out + " is not " +
				"there on " + host() + "; give a folder that every node of the cluster sees (a shared file system)");
			if (work.isDone(unit, out)) {
				// A retry of a task whose first attempt finished just before its executor was lost.
				status = UnitResult.Status.SKIPPED;
				result = "outputs already there";
			}
			else {
				R resource = ExecutorResources.get(work.resourceKey(), work::createResource);
				result = work.process(resource, unit, out);
				status = UnitResult.Status.DONE;
			}
		}
		catch (Exception | LinkageError e) {
			status = UnitResult.Status.FAILED;
			result = message(e);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new UnitResult(unit.name(), unit.input(), status, result, seconds, host(), executorId(), jvm(),
			ExecutorResources.creations(work.resourceKey()));
	}

	private static String message(Throwable e) {
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}

	private static String executorId() {
		SparkEnv env = SparkEnv.get();
		return env == null ? "none" : env.executorId();
	}

	private static String jvm() {
		return ManagementFactory.getRuntimeMXBean().getName();
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception e) {
			return "unknown";
		}
	}
}
