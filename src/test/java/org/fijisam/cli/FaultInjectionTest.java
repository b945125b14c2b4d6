package org.fijisam.cli;

import static org.fijisam.cli.AutoCommandTest.argv;
import static org.fijisam.cli.AutoCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

import org.fijisam.Fixtures;
import org.fijisam.JavaProcess;
import org.fijisam.cli.AutoCommandTest.Run;
import org.fijisam.io.CompletionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch path under real faults: a disk that fills up at every point of a run (a tmpfs
 * mounted with a given size, so the kernel itself says "no space left") and a process killed
 * at random moments. Whatever happens, the inputs are untouched, nothing half-written or
 * scratch remains, every output that a record marks as done is complete, and a later run
 * finishes with outputs byte-identical to an undisturbed run.
 */
class FaultInjectionTest {

	static void images(Path dir, int n, int size) throws Exception {
		Files.createDirectories(dir);
		Random r = new Random(7);
		for (int i = 0; i < n; i++) {
			ShortProcessor sp = new ShortProcessor(size, size);
			for (int p = 0; p < size * size; p++)
				sp.set(p, 1000 + r.nextInt(200) + (p % size) * 20);
			assertTrue(new FileSaver(new ImagePlus("img" + i, sp)).saveAsTiff(dir.resolve("img" + i + ".tif")
				.toString()));
		}
	}

	/** Every file of a folder (hidden ones too) with its bytes. */
	static Map<String, byte[]> contents(Path dir) throws Exception {
		Map<String, byte[]> m = new TreeMap<>();
		if (!Files.isDirectory(dir)) return m;
		try (Stream<Path> s = Files.list(dir)) {
			for (Path p : s.collect(Collectors.toList()))
				m.put(p.getFileName().toString(), Files.readAllBytes(p));
		}
		return m;
	}

	static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String when) {
		assertEquals(expected.keySet(), actual.keySet(), when);
		for (String k : expected.keySet())
			assertArrayEquals(expected.get(k), actual.get(k), when + ": " + k);
	}

	/** No scratch file, and each output a record lists is complete. */
	static void assertConsistent(Path out, String when) throws Exception {
		for (String name : contents(out).keySet()) {
			assertTrue(!name.contains("-partial-") && !name.contains("-spool-"), when + ": scratch file left: " + name);
			if (name.endsWith(".done.json")) {
				String base = name.substring(1, name.length() - ".done.json".length());
				Set<String> ok = CompletionRecord.verifiedOutputs(out, base);
				assertTrue(ok != null, when + ": the record " + name + " lists an incomplete output");
			}
		}
	}

	static void sh(String... cmd) throws Exception {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String text = new String(p.getInputStream().readAllBytes());
		if (p.waitFor() != 0) fail(String.join(" ", cmd) + " failed (the fault test needs root to mount a tmpfs): " +
			text);
	}

	@Test
	void diskFullAtEveryWriteLosesNothing(@TempDir Path dir) throws Exception {
		Path in = dir.resolve("in"), ref = dir.resolve("ref"), disk = Files.createDirectories(dir.resolve("disk"));
		images(in, 2, 96);
		Map<String, byte[]> inputs = contents(in);
		String[] refArgs = argv("auto", in.toString(), "--output", ref.toString(), "--coco");
		assertEquals(0, run(refArgs).code);
		Map<String, byte[]> expected = contents(ref);
		long total = expected.values().stream().mapToLong(b -> b.length).sum();
		Path out = disk.resolve("out");
		String[] args = argv("auto", in.toString(), "--output", out.toString(), "--coco");
		// From a disk too small for the first scratch file to one that holds everything: tmpfs
		// counts 4 KiB pages, so 4 KiB steps put the "disk full" at every write of the run.
		int fullRuns = 0;
		sh("mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", disk.toString());
		try {
			for (long size = 4096; size <= total + 64 * 1024; size += 4096) {
				sh("mount", "-o", "remount,size=" + size, disk.toString());
				Run r = run(args);
				String when = "disk of " + size / 1024 + " KiB";
				if (r.code != 0) {
					fullRuns++;
					assertEquals(1, r.code, when + ": " + r.out + r.err);
					assertTrue(r.err.contains("disk is full"), when + ": the cause is named: " + r.err);
					assertTrue(!r.err.contains("Exception") && !r.err.contains("\tat "), when + ": " + r.err);
				}
				assertConsistent(out, when);
				assertSameFiles(inputs, contents(in), when + ": inputs");
				// room again: the same command finishes, and its outputs equal the undisturbed run's
				sh("mount", "-o", "remount,size=64m", disk.toString());
				Run again = run(args);
				assertEquals(0, again.code, when + ", then enough room: " + again.out + again.err);
				assertSameFiles(expected, contents(out), when + ", then enough room");
				sh("rm", "-rf", out.toString());
			}
		}
		finally {
			new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
		}
		assertTrue(fullRuns >= 5, "the disk filled up at several points: " + fullRuns);
	}

	@Test
	void overlayOnAFullDiskIsAnErrorNotASuccess(@TempDir Path dir) throws Exception {
		Path img = OutputSafetyTest.image(dir, "cell.tif"), disk = Files.createDirectories(dir.resolve("disk"));
		sh("mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", disk.toString());
		try {
			Files.write(disk.resolve("filler"), new byte[8192 - 1024]);
			Run r = OutputSafetyTest.segment(img, "--output", dir.resolve("labels.tif").toString(), "--overlay", disk
				.resolve("overlay.png").toString());
			assertEquals(1, r.code, r.out + r.err);
			assertTrue(r.err.contains("Cannot write the overlay") && r.err.contains("the disk is full"), r.err);
			assertTrue(!r.out.contains("wrote " + disk.resolve("overlay.png")) && !r.err.contains("\tat "), r.out + r.err);
			assertEquals(List.of("filler"), OutputSafetyTest.names(disk), "no partial overlay is left");
		}
		finally {
			new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
		}
	}

	@Test
	void killedAtRandomMomentsResumesToIdenticalOutputs(@TempDir Path dir) throws Exception {
		Path in = dir.resolve("in"), ref = dir.resolve("ref"), out = dir.resolve("out");
		Path tmp = Files.createDirectories(dir.resolve("java-tmp"));
		images(in, 6, 256);
		Map<String, byte[]> inputs = contents(in);
		String[] common = { "--points-per-side", "12", "--pred-iou-thresh", "0.9", "--stability-score-thresh", "0.5",
			"--threads", "1", "--model", Fixtures.folder("known").toString(), "--coco" };
		List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp, "-Xmx512m");
		Process first = start(jvm, in, ref, common);
		long t0 = System.nanoTime();
		assertEquals(0, first.waitFor(), "undisturbed run");
		long runMs = (System.nanoTime() - t0) / 1_000_000;
		Map<String, byte[]> expected = contents(ref);
		Random random = new Random(42);
		int kills = 0;
		// Rounds from an empty output folder, each killed again and again until a run gets through;
		// more rounds (up to 8) while fewer than 4 kills happened: when the machine is quieter than
		// during the timed first run, a run can finish before its kill time.
		for (int round = 0; round < 3 || kills < 4 && round < 8; round++) {
			sh("rm", "-rf", out.toString());
			for (int attempt = 0;; attempt++) {
				Process p = start(jvm, in, out, common);
				// Later attempts get longer: on a busy machine a run can be slower than the first, and a
				// kill before any image completes would never let the round end.
				long at = (long) (runMs * (0.15 + 0.55 * random.nextDouble()) * (1 + attempt / 4.0));
				if (p.waitFor(at, TimeUnit.MILLISECONDS)) {
					assertEquals(0, p.exitValue(), "round " + round + ", attempt " + attempt);
					break;
				}
				p.destroyForcibly().waitFor();
				kills++;
				assertSameFiles(inputs, contents(in), "inputs after a kill");
				for (String name : contents(out).keySet())
					if (name.endsWith(".done.json")) assertTrue(CompletionRecord.verifiedOutputs(out, name.substring(1, name
						.length() - ".done.json".length())) != null, "after a kill, a record vouches only for complete " +
							"outputs");
			}
			assertConsistent(out, "after round " + round);
			assertSameFiles(expected, contents(out), "resumed after kills, round " + round);
		}
		assertTrue(kills >= 4, "runs were killed mid-way: " + kills);
		// A kill in the instant between ONNX Runtime creating its (empty) start-up folder and our
		// removing it leaves that empty folder; a later run sweeps it once it is a minute old (a
		// younger one may belong to a process still starting). No kill may leave the libraries.
		for (String left : OutputSafetyTest.names(tmp)) {
			Path folder = tmp.resolve(left);
			assertTrue(Files.isDirectory(folder) && OutputSafetyTest.names(folder).isEmpty(), "only an empty start-up " +
				"folder may survive a kill: " + left + " " + (Files.isDirectory(folder) ? OutputSafetyTest.names(folder)
					: ""));
			Files.setLastModifiedTime(folder, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() -
				120_000));
		}
		Process later = JavaProcess.cli(jvm, "segment", in.resolve("img0.tif").toString(), "--point", "10,10",
			"--output", dir.resolve("later.tif").toString(), "--threads", "1", "--model", Fixtures.folder("known")
				.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		assertEquals(0, later.waitFor(), "a later run that loads the model");
		assertEquals(List.of(), OutputSafetyTest.names(tmp), "nothing left in the temp directory");
	}

	private static Process start(List<String> jvm, Path in, Path out, String[] common) throws Exception {
		List<String> args = new ArrayList<>(List.of("auto", in.toString(), "--output", out.toString()));
		args.addAll(List.of(common));
		ProcessBuilder pb = JavaProcess.cli(jvm, args.toArray(new String[0]));
		pb.redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
		return pb.start();
	}
}
