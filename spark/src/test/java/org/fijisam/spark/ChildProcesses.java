package org.fijisam.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Processes the integration tests start: run with a log and a time limit, and always ended. */
final class ChildProcesses {

	private ChildProcesses() {}

	/** Starts a command with its output in a log file (a pipe nobody reads could block it). */
	static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		pb.environment().putAll(env);
		return pb.start();
	}

	/** Runs a command to its end; kills it (and its children) past the limit. */
	static int run(List<String> command, Map<String, String> env, Path log, int seconds) throws IOException,
		InterruptedException
	{
		return await(start(command, env, log), seconds, log);
	}

	/** Waits for a started process; kills its whole tree and fails past the limit. */
	static int await(Process p, int seconds, Path log) throws InterruptedException, IOException {
		if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
			killTree(p.toHandle());
			throw new AssertionError("no end after " + seconds + " s: " + p.info().commandLine().orElse("?") + "\n" +
				tail(log));
		}
		return p.exitValue();
	}

	/** kill -9 of a process and everything it started, children first (a Worker and its executors). */
	static void killTree(ProcessHandle root) {
		List<ProcessHandle> all = root.descendants().collect(Collectors.toList());
		for (ProcessHandle h : all)
			h.destroyForcibly();
		root.destroyForcibly();
		for (ProcessHandle h : all)
			h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> h).join();
		root.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> root).join();
	}

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}

	/** The last lines of a log, for a failure message. */
	static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException e) {
			return "(no log: " + e.getMessage() + ")";
		}
	}
}
