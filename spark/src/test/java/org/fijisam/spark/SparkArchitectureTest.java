package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Spark stays in org.fijisam.spark, and out of what a work function sees: the work (the real
 * segmentation, written in the main module) implements UnitWork and knows nothing of Spark.
 */
class SparkArchitectureTest {

	static final Path SOURCES = Path.of("src/main/java");

	@Test
	void onlyTheSparkPackageImportsSpark() throws IOException {
		for (Path f : sources())
			if (importsSpark(f)) assertTrue(SOURCES.relativize(f).startsWith("org/fijisam/spark"), f + " imports Spark");
	}

	@Test
	void whatAWorkFunctionSeesIsFreeOfSpark() throws IOException {
		List<String> sparkFree = List.of("UnitWork", "WorkUnit", "ExecutorResources", "ImageInfoWork", "EmptyWork");
		for (String name : sparkFree)
			assertEquals(false, importsSpark(SOURCES.resolve("org/fijisam/spark/" + name + ".java")), name);
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> s = Files.walk(SOURCES)) {
			return s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
		}
	}

	private static boolean importsSpark(Path file) throws IOException {
		return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("import org.apache.spark.") || l
			.startsWith("import static org.apache.spark."));
	}
}
