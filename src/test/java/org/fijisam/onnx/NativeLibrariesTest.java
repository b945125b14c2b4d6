package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's native libraries never land in the temp directory: the command-line tool runs as
 * a real child process with its own temp directory, which must be empty after a normal run, after
 * a run killed in the middle, and after the run that follows.
 */
class NativeLibrariesTest {

	static final Path IMAGE = Path.of("test-images/nuclei.tif");

	@Test
	void noRunLeavesAnythingInTheTempDirectoryKilledOrNot(@TempDir Path tmp) throws Exception {
		Path temp = Files.createDirectories(tmp.resolve("temp"));
		Path cache = tmp.resolve("cache");

		Process first = cli(temp, cache, "segment", IMAGE.toString(), "--point", "64,61", "--output", tmp.resolve(
			"a.tif").toString()).start();
		assertEquals(0, finish(first), "first run");
		assertEquals(List.of(), contents(temp), "after a normal run");

		// Segment everything takes seconds after the model is loaded: killed in the middle of it.
		Process killed = cli(temp, cache, "auto", IMAGE.toString(), "--output", tmp.resolve("auto").toString())
			.start();
		waitForLine(killed, "model:");
		assertTrue(killed.isAlive(), "still running when killed");
		killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		assertEquals(List.of(), contents(temp), "after a killed run");

		Process second = cli(temp, cache, "segment", IMAGE.toString(), "--point", "64,61", "--output", tmp.resolve(
			"b.tif").toString()).start();
		assertEquals(0, finish(second), "run after the kill");
		assertEquals(List.of(), contents(temp), "after the next run");

		// The libraries sit complete in the cache folder, extracted once.
		List<Path> libs = contents(cache);
		assertTrue(libs.stream().anyMatch(p -> p.getFileName().toString().contains("onnxruntime4j_jni")), libs
			.toString());
		assertTrue(libs.stream().noneMatch(p -> p.getFileName().toString().endsWith(".part")), libs.toString());
		assertTrue(libs.stream().allMatch(p -> p.toString().contains("onnxruntime-1.23.2-" + NativeLibraries
			.platform())), "versioned per platform: " + libs);
	}

	@Test
	void foldersLeftByKilledRunsAreSweptButNotOnesBeingUsed(@TempDir Path tmp) throws Exception {
		Path temp = Files.createDirectories(tmp.resolve("temp"));
		// What a run killed before this fix left: ONNX Runtime's folder with its library copies.
		Path stale = Files.createDirectories(temp.resolve("onnxruntime-java1234"));
		Files.write(stale.resolve("libonnxruntime.so"), new byte[1000]);
		Path staleEmpty = Files.createDirectories(temp.resolve("onnxruntime-java5678"));
		for (Path p : new Path[] { stale, staleEmpty })
			Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
		// Another process starting right now: its folder is new.
		Path starting = Files.createDirectories(temp.resolve("onnxruntime-java9999"));
		Path unrelated = Files.createDirectories(temp.resolve("someone-else"));

		NativeLibraries.sweepStaleTempFolders(temp);
		assertEquals(List.of(starting, unrelated).stream().sorted().collect(Collectors.toList()), Files.list(temp)
			.sorted().collect(Collectors.toList()));
	}

	@Test
	void aHalfExtractedLibraryIsReplacedNotUsed(@TempDir Path tmp) throws Exception {
		Path jar = Path.of(ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation()
			.toURI());
		Path dir = NativeLibraries.extract(jar, tmp);
		Path lib = dir.resolve(System.mapLibraryName("onnxruntime"));
		long size = Files.size(lib);
		// A copy cut short (disk full, or a tool other than ours): found by its size, extracted again.
		Files.write(lib, new byte[100]);
		assertEquals(dir, NativeLibraries.extract(jar, tmp));
		assertEquals(size, Files.size(lib));
	}

	/** The CLI in a fresh JVM with this test's classpath, its own temp directory and cache folder. */
	static ProcessBuilder cli(Path temp, Path cache, String... args) {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Djava.io.tmpdir=" + temp, "-D" + NativeLibraries.CACHE_PROPERTY + "=" + cache, "-cp",
			System.getProperty("java.class.path"), "org.fijisam.cli.SamCli"));
		cmd.addAll(List.of(args));
		return new ProcessBuilder(cmd).redirectErrorStream(true);
	}

	static int finish(Process p) throws Exception {
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
		if (p.exitValue() != 0) System.err.println(out);
		return p.exitValue();
	}

	static void waitForLine(Process p, String start) throws IOException {
		BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		for (String line; (line = r.readLine()) != null;)
			if (line.startsWith(start)) return;
		throw new AssertionError("the child ended before printing '" + start + "'");
	}

	static List<Path> contents(Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(p -> !p.equals(dir)).sorted().collect(Collectors.toList());
		}
	}
}
