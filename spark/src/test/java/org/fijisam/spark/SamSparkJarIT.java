package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a user runs it: {@code java -jar sam-spark.jar}, no JVM flags, local mode. */
@Timeout(120)
class SamSparkJarIT {

	@TempDir
	Path dir;

	@Test
	void javaDashJarRunsTheJobOnThisMachineWithoutFlags() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 3);
		Path out = dir.resolve("out");
		Path log = dir.resolve("run.log");
		int code = ChildProcesses.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-jar", LocalCluster.JAR.toString(), "--input", images + "/*.tif", "--output", out.toString(), "--master",
			"local[2]", "--conf", "spark.ui.enabled=false"), Map.of(), log, 90);
		String text = Files.readString(log);
		assertEquals(0, code, text);
		assertTrue(text.contains("3 images: 3 done, 0 skipped, 0 failed"), text);
		// segment everything (the default work) with the built-in model inside the jar
		for (String name : List.of("img-00", "img-01", "img-02")) {
			assertTrue(Files.isRegularFile(out.resolve(name + "_labels.tif")), name);
			assertTrue(Files.isRegularFile(out.resolve(name + "_objects.csv")), name);
		}
		assertTrue(Files.exists(out.resolve("sam-spark-summary.csv")));
	}

	@Test
	void wrongArgumentsSayWhatToDo() throws Exception {
		Path log = dir.resolve("usage.log");
		int code = ChildProcesses.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-jar", LocalCluster.JAR.toString(), "--output", dir.toString()), Map.of(), log, 30);
		String text = Files.readString(log);
		assertEquals(2, code, text);
		assertTrue(text.contains("--input is required"), text);
		assertTrue(text.contains("Usage: java -jar sam-spark.jar"), text);
	}
}
