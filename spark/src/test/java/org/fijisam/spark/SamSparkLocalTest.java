package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.fijisam.core.UnsupportedImageException;

/**
 * The job in Spark's local mode inside the test JVM (local[2]: two task threads): real TIFF
 * files in, real outputs out, through the same code as on a cluster.
 */
@Timeout(120)
class SamSparkLocalTest {

	@TempDir
	Path dir;

	@BeforeEach
	void freshExecutor() {
		// The test JVM is the executor of every local job here; each test starts as a new one would.
		ExecutorResources.clear();
	}

	/** Input, output and a local[2] Spark that binds to this machine only. */
	static List<String> sparkArgs(Path input, Path output) {
		return new ArrayList<>(List.of("--input", input.toString(), "--output", output.toString(), "--master",
			"local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1", "--conf",
			"spark.driver.bindAddress=127.0.0.1"));
	}

	/** The plumbing's own work (image size and checksum per image): these tests are about the job, not SAM. */
	static List<String> args(Path input, Path output, String... more) {
		List<String> a = sparkArgs(input, output);
		a.addAll(List.of("--work", "image-info"));
		a.addAll(List.of(more));
		return a;
	}

	static SamSparkJob.Report job(List<String> args) throws Exception {
		return SamSparkJob.run(JobArguments.parse(args.toArray(String[]::new)), System.out);
	}

	@Test
	void outputsAreCompleteIdenticalAcrossRunsAndARerunSkips() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 5);
		Path out1 = dir.resolve("out1"), out2 = dir.resolve("out2");

		SamSparkJob.Report first = job(args(images, out1));
		assertEquals(5, first.count(UnitResult.Status.DONE), first.results().toString());
		Map<String, String> outputs = TestImages.outputs(out1);
		assertEquals(List.of("img-00.txt", "img-01.txt", "img-02.txt", "img-03.txt", "img-04.txt"), List.copyOf(outputs
			.keySet()));
		assertTrue(outputs.get("img-02.txt").contains("width: 42\nheight: 34\n"), outputs.get("img-02.txt"));
		assertTrue(outputs.get("img-02.txt").contains("slices: 3\n"), outputs.get("img-02.txt"));
		// One executor JVM (local mode): its model-like resource was made once for five tasks on two threads.
		assertEquals(1, first.results().stream().map(UnitResult::worker).distinct().count());
		assertTrue(first.results().stream().allMatch(r -> r.resourceCreations() == 1), first.results().toString());
		assertEquals(1, ExecutorResources.creations("image-info"));

		SamSparkJob.Report second = job(args(images, out2));
		assertEquals(5, second.count(UnitResult.Status.DONE));
		assertEquals(outputs, TestImages.outputs(out2));

		SamSparkJob.Report rerun = job(args(images, out1));
		assertEquals(5, rerun.count(UnitResult.Status.SKIPPED), rerun.results().toString());
		assertEquals(0, rerun.jobSeconds(), "nothing to do: Spark is not even started");
		assertEquals(outputs, TestImages.outputs(out1));

		// After one output is lost, only that image runs again.
		Files.delete(out1.resolve("img-03.txt"));
		SamSparkJob.Report partial = job(args(images, out1));
		assertEquals(List.of("img-03"), partial.results().stream().filter(r -> r.status() == UnitResult.Status.DONE)
			.map(UnitResult::name).collect(Collectors.toList()));
		assertEquals(outputs, TestImages.outputs(out1));
	}

	@Test
	void aBadImageIsReportedAndTheOthersAreDone() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 3);
		TestImages.truncatedTiff(images, "broken.tif");
		Path out = dir.resolve("out");
		ByteArrayOutputStream console = new ByteArrayOutputStream();

		int code = SamSpark.run(args(images, out).toArray(String[]::new), new PrintStream(console, true,
			StandardCharsets.UTF_8));

		String text = console.toString(StandardCharsets.UTF_8);
		assertEquals(1, code, "a failed image makes the exit code 1\n" + text);
		assertEquals(List.of("img-00.txt", "img-01.txt", "img-02.txt"), List.copyOf(TestImages.outputs(out).keySet()));
		assertTrue(text.contains("4 images: 3 done, 0 skipped, 1 failed"), text);
		assertTrue(text.contains("FAILED " + images.resolve("broken.tif")), text);
		assertTrue(text.contains("truncated"), text);
		List<String> csv = Files.readAllLines(out.resolve("sam-spark-summary.csv"));
		assertEquals(JobSummary.CSV_HEADER, csv.get(0));
		assertEquals(5, csv.size(), csv.toString());
		assertTrue(csv.get(1).startsWith("broken,failed,"), csv.get(1));
		assertTrue(csv.get(2).startsWith("img-00,done,40x30x1 8-bit,"), csv.get(2));
		assertFalse(Files.list(out).anyMatch(p -> p.getFileName().toString().contains("-partial-")),
			"no scratch file is left");
	}

	@Test
	void aGlobThatMatchesNothingIsAClearErrorBeforeSparkStarts() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 1);
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> job(args(Path.of(images +
			"/*.png"), dir.resolve("out"))));
		assertTrue(e.getMessage().contains("matches no file"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("out")), "nothing was made");
	}

	@Test
	void anUnwritableOutputFolderFailsBeforeAnyWork() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 2);
		// A folder under a regular file can never be made (chmod would not stop root, who runs CI).
		Path file = Files.writeString(dir.resolve("a-file"), "x");
		Path out = file.resolve("out");
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		PrintStream stderr = System.err;
		long t0 = System.nanoTime();
		int code;
		try {
			System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
			code = SamSpark.run(args(images, out).toArray(String[]::new), System.out);
		}
		finally {
			System.setErr(stderr);
		}
		String message = err.toString(StandardCharsets.UTF_8);
		assertEquals(1, code, message);
		assertTrue(message.contains("Cannot write into the output folder " + out), message);
		assertTrue(message.contains("--output"), message);
		assertEquals(0, ExecutorResources.creations("image-info"), "no task ran");
		assertTrue((System.nanoTime() - t0) / 1e9 < 5, "failed at once, before Spark started");
	}

	@Test
	void whenSparkItselfFailsTheMessageSaysSoAndThatARerunResumes() throws Exception {
		Path images = dir.resolve("images");
		TestImages.folder(images, 1);
		List<String> a = args(images, dir.resolve("out"));
		a.set(a.indexOf("local[2]"), "nonsense://nowhere");
		SamSparkJob.JobFailedException e = assertThrows(SamSparkJob.JobFailedException.class, () -> job(a));
		assertTrue(e.getMessage().startsWith("the Spark job failed: Could not parse Master URL"), e.getMessage());
		assertTrue(e.getMessage().contains("a rerun does only the rest"), e.getMessage());
	}
}
