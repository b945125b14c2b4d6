package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.TreeMap;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;

import org.fijisam.cli.SamCli;
import org.fijisam.core.OutputLock;
import org.fijisam.core.UnsafeOutputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segmentation job in local mode (two task threads) with the built-in model: planes of a
 * stack and tiles of a large plane are separate tasks, and the files are those of
 * {@code sam-cli auto} with the same options, byte for byte.
 */
@Timeout(300)
class SegmentEverythingSparkTest {

	/** Small and quick: few grid points; one thread per task so the two runs compute alike. */
	static final String[] OPTIONS = { "--points-per-side", "8", "--threads", "1", "--tile", "256", "--halo", "32",
		"--coco", "--rois" };

	@TempDir
	Path dir;

	@BeforeEach
	void freshExecutor() {
		ExecutorResources.clear();
	}

	static final Path TEST_IMAGES = Path.of("../test-images");

	/**
	 * From the project's test images: nuclei.tif, 3 planes of zstack.tif, and a 600 x 420 crop of
	 * mosaic.png (6 tiles of 256 px).
	 */
	static Path inputs(Path dir) throws Exception {
		Files.createDirectories(dir);
		IJ.redirectErrorMessages();
		Files.copy(TEST_IMAGES.resolve("nuclei.tif"), dir.resolve("one.tif"));
		ImagePlus z = IJ.openImage(TEST_IMAGES.resolve("zstack.tif").toString());
		ImageStack stack = new ImageStack(z.getWidth(), z.getHeight());
		for (int i = 6; i <= 8; i++)
			stack.addSlice(z.getStack().getProcessor(i));
		assertTrue(new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(dir.resolve("stack.tif").toString()));
		ImagePlus mosaic = IJ.openImage(TEST_IMAGES.resolve("mosaic.png").toString());
		mosaic.setRoi(0, 0, 600, 420);
		assertTrue(new FileSaver(mosaic.crop()).saveAsPng(dir.resolve("wide.png").toString()));
		return dir;
	}

	static List<String> args(Path input, Path output, String... more) {
		List<String> a = SamSparkLocalTest.sparkArgs(input, output);
		a.addAll(List.of(OPTIONS));
		a.addAll(List.of(more));
		return a;
	}

	/** What sam-cli auto writes for the same inputs and options (in this JVM). */
	static Map<String, byte[]> cli(Path input, Path output) throws Exception {
		List<String> a = new ArrayList<>(List.of("auto", input.toString(), "--output", output.toString()));
		a.addAll(List.of(OPTIONS));
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
		assertEquals(0, new SamCli().run(a.toArray(String[]::new), ps, ps), log.toString(StandardCharsets.UTF_8));
		return files(output);
	}

	/** Every visible output file (not the job's summary), name to bytes. */
	static Map<String, byte[]> files(Path dir) throws Exception {
		Map<String, byte[]> m = new TreeMap<>();
		try (Stream<Path> s = Files.list(dir)) {
			for (Path p : (Iterable<Path>) s::iterator) {
				String n = p.getFileName().toString();
				if (!n.startsWith(".") && !n.equals("sam-spark-summary.csv")) m.put(n, Files.readAllBytes(p));
			}
		}
		return m;
	}

	static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
		assertEquals(expected.keySet(), actual.keySet());
		for (String n : expected.keySet())
			assertArrayEquals(expected.get(n), actual.get(n), n + " differs");
	}

	@Test
	void planesAndTilesAsTasksWriteWhatTheCliWrites() throws Exception {
		Path in = inputs(dir.resolve("in"));
		Map<String, byte[]> expected = cli(in, dir.resolve("cli"));
		assertTrue(expected.containsKey("stack_s0003_coco.json") && expected.containsKey("wide_rois.zip"), expected
			.keySet().toString());
		assertTrue(new String(expected.get("one_objects.csv"), StandardCharsets.UTF_8).lines().count() > 1,
			"the model found objects");

		ByteArrayOutputStream console = new ByteArrayOutputStream();
		SamSparkJob.Report report = SamSparkJob.run(JobArguments.parse(args(in, dir.resolve("spark")).toArray(
			String[]::new)), new PrintStream(console, true, StandardCharsets.UTF_8));
		String log = console.toString(StandardCharsets.UTF_8);
		assertEquals(3, report.count(UnitResult.Status.DONE), report.results() + log);
		// 1 + 3 planes + 6 tiles
		assertTrue(log.contains("10 units of work (planes and tiles) in 3 images"), log);
		assertSameFiles(expected, files(dir.resolve("spark")));
		// the model was loaded once for the executor's 3 + 10 + 3 tasks
		assertTrue(report.results().stream().allMatch(r -> r.resourceCreations() == 1), report.results().toString());

		// a rerun skips everything, Spark not even started
		SamSparkJob.Report rerun = SamSparkJob.run(JobArguments.parse(args(in, dir.resolve("spark")).toArray(
			String[]::new)), System.out);
		assertEquals(3, rerun.count(UnitResult.Status.SKIPPED));
		assertEquals(0, rerun.jobSeconds());
	}

	@Test
	void aCorruptImageIsReportedAndTheOthersAreDone() throws Exception {
		Path in = inputs(dir.resolve("in"));
		Files.write(in.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0, 1 });
		ByteArrayOutputStream console = new ByteArrayOutputStream();
		int code = SamSpark.run(args(in, dir.resolve("out")).toArray(String[]::new), new PrintStream(console, true,
			StandardCharsets.UTF_8));
		String log = console.toString(StandardCharsets.UTF_8);
		assertEquals(1, code, log);
		assertTrue(log.contains("3 done") && log.contains("1 failed") && log.contains("FAILED " + in.resolve(
			"broken.tif")), log);
		assertTrue(Files.isRegularFile(dir.resolve("out/wide_labels.tif")));
		String csv = Files.readString(dir.resolve("out/sam-spark-summary.csv"));
		assertTrue(csv.contains("broken,failed,"), csv);
	}

	@Test
	void wrongOptionsAndAMissingModelStopBeforeSparkStarts() {
		JobArguments.UsageException e = assertThrows(JobArguments.UsageException.class, () -> JobArguments.parse(
			new String[] { "--input", "x", "--output", "y", "--pred-iou-thresh", "high" }));
		assertTrue(e.getMessage().contains("--pred-iou-thresh") && e.getMessage().contains("number"), e.getMessage());
		e = assertThrows(JobArguments.UsageException.class, () -> JobArguments.parse(new String[] { "--input", "x",
			"--output", "y", "--model", dir.resolve("nowhere").toString() }));
		assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("every node"), e.getMessage());
	}

	@Test
	void twoJobsIntoOneFolderTheSecondIsStopped() throws Exception {
		Path in = inputs(dir.resolve("in"));
		Path out = Files.createDirectories(dir.resolve("out"));
		try (OutputLock first = OutputLock.acquire(out, "a sam-spark job started earlier")) {
			UnsafeOutputException e = assertThrows(UnsafeOutputException.class, () -> SamSparkJob.run(JobArguments
				.parse(args(in, out).toArray(String[]::new)), System.out));
			assertTrue(e.getMessage().contains("a sam-spark job started earlier"), e.getMessage());
		}
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(0, s.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "nothing written");
		}
	}
}
