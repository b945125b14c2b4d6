package org.fijisam.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster of separate processes on 127.0.0.1 (a Master, two Workers, their
 * executors), driven through the users' own script, scripts/local-cluster.sh, on free ports.
 * Closing it stops every process, and kills what the script could not stop.
 */
final class LocalCluster implements AutoCloseable {

	static final Path SCRIPT = Path.of(System.getProperty("sam.spark.scripts", "scripts"), "local-cluster.sh");
	static final Path JAR = Path.of(System.getProperty("sam.spark.jar", "target/sam-spark.jar"));

	final Path dir;
	private final Map<String, String> env;

	private LocalCluster(Path dir, Map<String, String> env) {
		this.dir = dir;
		this.env = env;
	}

	/** Starts a Master and two Workers (one core each); waits until both are registered. */
	static LocalCluster start(Path dir) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Map<String, String> env = Map.of("CLUSTER_DIR", dir.toString(), //
			"SPARK_HOME", System.getProperty("sam.spark.home", "target/spark-home"), //
			"MASTER_PORT", Integer.toString(ChildProcesses.freePort()), //
			"MASTER_UI_PORT", Integer.toString(ChildProcesses.freePort()), //
			"WORKER_UI_PORT", Integer.toString(ChildProcesses.freePort()), //
			"WORKERS", "2", "WORKER_CORES", "1", "WORKER_MEMORY", "1g", "DAEMON_MEMORY", "256m");
		LocalCluster cluster = new LocalCluster(dir, env);
		Path log = dir.resolve("start.log");
		int code = ChildProcesses.run(List.of("bash", SCRIPT.toString(), "start"), env, log, 120);
		if (code != 0) {
			cluster.close();
			throw new AssertionError("local-cluster.sh start failed (" + code + "):\n" + ChildProcesses.tail(log));
		}
		return cluster;
	}

	/** spark-submit of sam-spark.jar with the job's arguments; the driver's output goes to the log. */
	Process submit(Path log, String... jobArgs) throws IOException {
		List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), "submit", "--conf",
			"spark.ui.enabled=false", "--conf", "spark.executor.memory=512m", JAR.toString()));
		command.addAll(List.of(jobArgs));
		return ChildProcesses.start(command, env, log);
	}

	/** The Worker process of that number (1 or 2). */
	Optional<ProcessHandle> worker(int i) throws IOException {
		Path pid = dir.resolve("worker-" + i + ".pid");
		return Files.exists(pid) ? ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())) : Optional.empty();
	}

	/** The stderr files of every executor the Workers launched (one folder per executor). */
	List<Path> executorLogs() throws IOException {
		try (var files = Files.walk(dir)) {
			return files.filter(p -> p.getFileName().toString().equals("stderr") && p.getParent().getParent()
				.getFileName().toString().startsWith("app-")).sorted().collect(java.util.stream.Collectors.toList());
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		List<ProcessHandle> started = new ArrayList<>();
		for (String name : List.of("master", "worker-1", "worker-2")) {
			Path pid = dir.resolve(name + ".pid");
			if (Files.exists(pid)) ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(
				started::add);
		}
		try {
			ChildProcesses.run(List.of("bash", SCRIPT.toString(), "stop"), env, dir.resolve("stop.log"), 60);
		}
		finally {
			// Whatever the script left (it failed, or timed out) is killed here.
			for (ProcessHandle h : started)
				if (h.isAlive()) ChildProcesses.killTree(h);
		}
	}
}
