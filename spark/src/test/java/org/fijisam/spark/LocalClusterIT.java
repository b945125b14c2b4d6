package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster: a Master and two Workers as separate processes, each
 * Worker launching its own executor JVM, and spark-submit of the built sam-spark.jar. The
 * outputs must be those of local mode, also when a Worker and its executor are killed mid-job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class LocalClusterIT {

	@TempDir
	static Path dir;

	static LocalCluster cluster;
	static Path images;
	static Map<String, String> expected;

	@BeforeAll
	static void startClusterAndComputeTheLocalModeOutputs() throws Exception {
		images = dir.resolve("images");
		TestImages.folder(images, 12);
		cluster = LocalCluster.start(dir.resolve("cluster"));
		Path local = dir.resolve("local");
		SamSparkJob.Report report = SamSparkLocalTest.job(SamSparkLocalTest.args(images, local));
		assertEquals(12, report.count(UnitResult.Status.DONE));
		expected = TestImages.outputs(local);
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (cluster != null) cluster.close();
	}

	@Test
	@Order(1)
	void theClusterWritesWhatLocalModeWritesWithOneResourcePerExecutor() throws Exception {
		Path out = dir.resolve("out-cluster");
		Path log = dir.resolve("submit-1.log");
		int code = ChildProcesses.await(cluster.submit(log, "--input", images.toString(), "--output", out.toString(),
			"--work", "image-info", "--unit-delay-ms", "200"), 150, log);
		assertEquals(0, code, ChildProcesses.tail(log));
		assertEquals(expected, TestImages.outputs(out));

		List<String> csv = Files.readAllLines(out.resolve("sam-spark-summary.csv"));
		List<String> executors = csv.stream().skip(1).map(l -> l.split(",")[5]).distinct().sorted().collect(
			Collectors.toList());
		assertEquals(2, executors.size(), "both Workers' executors ran units: " + csv);
		assertFalse(executors.contains("driver"), "no unit ran in the driver: " + csv);
		// Each executor JVM made its model-like resource once, for all its units.
		List<Path> logs = cluster.executorLogs();
		assertEquals(2, logs.size(), logs.toString());
		for (Path executorLog : logs)
			assertEquals(1, Files.readAllLines(executorLog).stream().filter(l -> l.contains(
				"model-like resource created")).count(), executorLog.toString());
	}

	@Test
	@Order(2)
	void killingAWorkerAndItsExecutorMidJobLosesNothing() throws Exception {
		Path out = dir.resolve("out-kill");
		Path log = dir.resolve("submit-2.log");
		Process submit = cluster.submit(log, "--input", images.toString(), "--output", out.toString(),
			"--work", "image-info", "--unit-delay-ms", "1500");
		try {
			// Mid-job: some units written, most still to come (12 units of 1.5 s on two 1-core executors).
			long deadline = System.nanoTime() + 120_000_000_000L;
			while (outputCount(out) < 2 && submit.isAlive() && System.nanoTime() < deadline)
				Thread.sleep(100);
			assertTrue(submit.isAlive(), "the job ended before the kill: " + ChildProcesses.tail(log));
			int before = outputCount(out);
			assertTrue(before >= 2 && before < 10, before + " outputs at the kill");
			ProcessHandle worker = cluster.worker(2).orElseThrow();
			assertTrue(worker.descendants().findAny().isPresent(), "worker 2 runs an executor");
			ChildProcesses.killTree(worker);

			int code = ChildProcesses.await(submit, 180, log);
			String driver = ChildProcesses.tail(log);
			assertEquals(0, code, driver);
			// The whole log: the executor's connection-reset stack trace can push the driver's
			// "lost" line out of the last 40 lines.
			assertTrue(Files.readString(log).contains("lost"), "the driver saw the executor go:\n" + driver);
			assertTrue(driver.contains("12 images: ") && driver.contains(" 0 failed"), driver);
			assertEquals(expected, TestImages.outputs(out));
			System.out.println("Driver after the kill:\n" + driver);
		}
		finally {
			if (submit.isAlive()) ChildProcesses.killTree(submit.toHandle());
		}
	}

	private static int outputCount(Path out) throws Exception {
		if (!Files.isDirectory(out)) return 0;
		try (var files = Files.list(out)) {
			return (int) files.filter(p -> p.getFileName().toString().endsWith(".txt") && !p.getFileName().toString()
				.startsWith(".")).count();
		}
	}
}
