package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segmentation on a real standalone cluster of separate processes (a Master, two one-core
 * Workers) through spark-submit, with the built-in model shipped in sam-spark.jar: the files
 * must be those of sam-cli auto, also when a Worker and its executor are killed mid-job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class SegmentationClusterIT {

	@TempDir
	static Path dir;

	static LocalCluster cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = LocalCluster.start(dir.resolve("cluster"));
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (cluster != null) cluster.close();
	}

	/** The segmentation job on the cluster (planes and tiles spread over both executors) writes what sam-cli auto writes. */
	@Test
	@Order(3)
	void segmentationOnTheClusterWritesWhatTheCliWrites() throws Exception {
		Path in = SegmentEverythingSparkTest.inputs(dir.resolve("seg-in"));
		Map<String, byte[]> cli = SegmentEverythingSparkTest.cli(in, dir.resolve("seg-cli"));
		Path out = dir.resolve("seg-cluster");
		Path log = dir.resolve("submit-3.log");
		List<String> args = new java.util.ArrayList<String>(List.of("--input", in.toString(), "--output", out.toString()));
		args.addAll(List.of(SegmentEverythingSparkTest.OPTIONS));
		int code = ChildProcesses.await(cluster.submit(log, args.toArray(String[]::new)), 200, log);
		assertEquals(0, code, ChildProcesses.tail(log));
		SegmentEverythingSparkTest.assertSameFiles(cli, SegmentEverythingSparkTest.files(out));
	}

	/** A Worker and its executor killed while planes are being segmented: Spark redoes their part, nothing changes. */
	@Test
	@Order(4)
	void killingAWorkerMidSegmentationLosesNothing() throws Exception {
		Path in = SegmentEverythingSparkTest.inputs(dir.resolve("kill-in"));
		// a longer job: all 12 planes of zstack.tif
		Files.copy(SegmentEverythingSparkTest.TEST_IMAGES.resolve("zstack.tif"), in.resolve("zstack.tif"));
		Map<String, byte[]> cli = SegmentEverythingSparkTest.cli(in, dir.resolve("kill-cli"));
		Path out = dir.resolve("kill-cluster");
		Path log = dir.resolve("submit-4.log");
		List<String> args = new java.util.ArrayList<String>(List.of("--input", in.toString(), "--output", out.toString()));
		args.addAll(List.of(SegmentEverythingSparkTest.OPTIONS));
		Process submit = cluster.submit(log, args.toArray(String[]::new));
		try {
			long deadline = System.nanoTime() + 150_000_000_000L;
			while (!Files.readString(log).contains("units finished") && submit.isAlive() && System.nanoTime() < deadline)
				Thread.sleep(100);
			assertTrue(submit.isAlive(), "the job ended before the kill: " + ChildProcesses.tail(log));
			ProcessHandle worker = cluster.worker(2).orElseThrow();
			assertTrue(worker.descendants().findAny().isPresent(), "worker 2 runs an executor");
			ChildProcesses.killTree(worker);
			int code = ChildProcesses.await(submit, 200, log);
			String driver = ChildProcesses.tail(log);
			assertEquals(0, code, driver);
			// The whole log, as in LocalClusterIT: the killed executor's connection-reset traces can
			// push the driver's "lost" line out of the last 40 lines.
			assertTrue(Files.readString(log).contains("lost"), "the driver saw the executor go:\n" + driver);
			assertTrue(driver.contains(" 0 failed"), driver);
			SegmentEverythingSparkTest.assertSameFiles(cli, SegmentEverythingSparkTest.files(out));
		}
		finally {
			if (submit.isAlive()) ChildProcesses.killTree(submit.toHandle());
		}
	}

}
