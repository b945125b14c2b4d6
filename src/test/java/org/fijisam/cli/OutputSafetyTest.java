package org.fijisam.cli;

import static org.fijisam.cli.AutoCommandTest.argv;
import static org.fijisam.cli.AutoCommandTest.gradient;
import static org.fijisam.cli.AutoCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.io.FileSaver;

import org.fijisam.Fixtures;
import org.fijisam.cli.AutoCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs never destroy the user's data: each defect found by trying the tools with hostile
 * paths has a test here (the input and every file the run must not touch are compared byte for
 * byte afterwards).
 */
class OutputSafetyTest {

	static Path image(Path dir, String name) throws Exception {
		Path p = dir.resolve(name);
		ImagePlus imp = new ImagePlus(name, gradient(96, 80));
		boolean ok = name.endsWith(".png") ? new FileSaver(imp).saveAsPng(p.toString()) : new FileSaver(imp).saveAsTiff(
			p.toString());
		assertTrue(ok);
		return p;
	}

	static Run segment(Path img, String... more) {
		String[] base = { "segment", img.toString(), "--point", "40,40", "--model", Fixtures.folder("known").toString(),
			"--threads", "1" };
		String[] all = new String[base.length + more.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(more, 0, all, base.length, more.length);
		return run(all);
	}

	@Test
	void segmentNeverWritesOverItsInput(@TempDir Path dir) throws Exception {
		Path img = image(dir, "cell.tif");
		byte[] before = Files.readAllBytes(img);
		Files.createDirectories(dir.resolve("sub"));
		Files.createSymbolicLink(dir.resolve("alias.tif"), img);
		Files.createLink(dir.resolve("hardlink.tif"), img);
		for (String spelling : new String[] { img.toString(), dir.resolve("sub/../cell.tif").toString(), dir.resolve(
			"alias.tif").toString(), dir.resolve("hardlink.tif").toString() }) {
			Run asOutput = segment(img, "--output", spelling);
			assertEquals(1, asOutput.code, spelling + ": " + asOutput.out + asOutput.err);
			assertFalse(asOutput.out.contains("wrote"), asOutput.out);
			Run asOverlay = segment(img, "--output", dir.resolve("ok.tif").toString(), "--overlay", spelling);
			assertEquals(1, asOverlay.code, spelling + ": " + asOverlay.out + asOverlay.err);
			assertTrue(asOverlay.err.contains("file is one of the inputs") || asOverlay.err.contains("symbolic link"),
				asOverlay.err);
			assertArrayEquals(before, Files.readAllBytes(img), "the input is unchanged after --output/--overlay " +
				spelling);
		}
		assertFalse(Files.exists(dir.resolve("ok.tif")), "nothing is written when one output is refused");
	}

	@Test
	void overlayAndLabelsCannotShareAPath(@TempDir Path dir) throws Exception {
		Path img = image(dir, "cell.tif");
		Run r = segment(img, "--output", dir.resolve("out.tif").toString(), "--overlay", dir.resolve("./out.tif")
			.toString());
		assertEquals(1, r.code);
		assertTrue(r.err.contains("would both be written to"), r.err);
		assertFalse(Files.exists(dir.resolve("out.tif")));
	}

	@Test
	void linksDevicesAndFoldersAreNeverReplaced(@TempDir Path dir) throws Exception {
		Path img = image(dir, "cell.tif");
		Path precious = dir.resolve("precious.txt");
		Files.writeString(precious, "keep me");
		Path link = Files.createSymbolicLink(dir.resolve("link.tif"), precious);
		Run viaLink = segment(img, "--output", link.toString());
		assertEquals(1, viaLink.code);
		assertTrue(viaLink.err.contains("symbolic link"), viaLink.err);
		assertTrue(Files.isSymbolicLink(link));
		assertEquals("keep me", Files.readString(precious));
		Run device = segment(img, "--output", "/dev/null");
		assertEquals(1, device.code);
		assertTrue(device.err.contains("not a regular file"), device.err);
		Run folder = segment(img, "--output", dir.toString());
		assertEquals(1, folder.code);
		assertTrue(folder.err.contains("is a folder"), folder.err);
		Run underFile = segment(img, "--output", precious.resolve("x.tif").toString());
		assertEquals(1, underFile.code);
		assertTrue(underFile.err.contains("is a file, not a folder"), underFile.err);
		assertEquals("keep me", Files.readString(precious));
	}

	@Test
	void inputsSharingANameKeepTheirOwnOutputs(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		image(in, "a.tif");
		image(in, "a.png");
		image(in, "b.tif");
		Run r = run(argv("auto", in.toString(), "--output", out.toString()));
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("summary: 3 segmented"), r.out);
		assertTrue(r.out.contains("a.png -> a_png_*") && r.out.contains("a.tif -> a_tif_*"), r.out);
		for (String n : new String[] { "a_png_labels.tif", "a_tif_labels.tif", "b_labels.tif", "a_png_objects.csv",
			"a_tif_objects.csv" })
			assertTrue(Files.isRegularFile(out.resolve(n)), n);
		assertFalse(Files.exists(out.resolve("a_labels.tif")));
		Run again = run(argv("auto", in.toString(), "--output", out.toString()));
		assertTrue(again.out.contains("summary: 0 segmented, 3 skipped"), "the names are stable: " + again.out);
	}

	@Test
	void resumeRedoesIncompleteOutputs(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		image(in, "a.tif");
		image(in, "b.tif");
		assertEquals(0, run(argv("auto", in.toString(), "--output", out.toString())).code);
		byte[] labels = Files.readAllBytes(out.resolve("a_labels.tif"));
		byte[] table = Files.readAllBytes(out.resolve("b_objects.csv"));
		Files.write(out.resolve("a_labels.tif"), new byte[0]);
		Files.write(out.resolve("b_objects.csv"), java.util.Arrays.copyOf(table, table.length / 2));
		Run again = run(argv("auto", in.toString(), "--output", out.toString()));
		assertEquals(0, again.code, again.out + again.err);
		assertTrue(again.out.contains("summary: 2 segmented, 0 skipped"), "0-byte and truncated outputs are not done: " +
			again.out);
		assertArrayEquals(labels, Files.readAllBytes(out.resolve("a_labels.tif")));
		assertArrayEquals(table, Files.readAllBytes(out.resolve("b_objects.csv")));
		// outputs without a completion record (written by something else) are not taken as done either
		Files.delete(out.resolve(".b.done.json"));
		Run third = run(argv("auto", in.toString(), "--output", out.toString()));
		assertTrue(third.out.contains("summary: 1 segmented, 1 skipped"), third.out);
	}

	@Test
	void inputsNamedLikeOutputsAreSegmented(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		image(in, "cells_labels.tif");
		Run r = run(argv("auto", in.toString(), "--output", dir.resolve("out").toString()));
		assertEquals(0, r.code, r.out + r.err);
		assertTrue(r.out.contains("1 image, 0 already done") && r.out.contains("summary: 1 segmented"), r.out);
		assertTrue(Files.isRegularFile(dir.resolve("out/cells_labels_labels.tif")));
	}

	@Test
	void outputFolderInsideTheInputsLeavesOutOnlyItsOwnOutputs(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		image(in, "a.tif");
		byte[] before = Files.readAllBytes(in.resolve("a.tif"));
		assertEquals(0, run(argv("auto", in.toString(), "--output", in.toString())).code);
		Run again = run(argv("auto", in.toString(), "--output", in.toString()));
		assertEquals(0, again.code, again.out + again.err);
		assertTrue(again.out.contains("1 image, 1 already done") && again.out.contains("left out 1 file"), again.out);
		// an old result of another tool, named as ours, is an input: refused as an output, not overwritten
		image(in, "c.tif");
		image(in, "c_labels.tif");
		byte[] old = Files.readAllBytes(in.resolve("c_labels.tif"));
		Run clash = run(argv("auto", in.toString(), "--output", in.toString()));
		assertEquals(1, clash.code, clash.out + clash.err);
		assertTrue(clash.err.contains("c_labels.tif: that file is one of the inputs"), clash.err);
		assertArrayEquals(old, Files.readAllBytes(in.resolve("c_labels.tif")));
		assertArrayEquals(before, Files.readAllBytes(in.resolve("a.tif")));
	}

	@Test
	void outputThatIsAFileIsRefused(@TempDir Path dir) throws Exception {
		Path img = image(dir, "a.tif");
		Run r = run(argv("auto", img.toString(), "--output", img.toString()));
		assertEquals(1, r.code);
		assertTrue(r.err.contains("is a file; give a folder"), r.err);
	}

	@Test
	void inputThatIsNeitherFileNorFolderIsNamedAsSuch(@TempDir Path dir) throws Exception {
		Run r = run(argv("auto", "/dev/null", "--output", dir.resolve("out").toString()));
		assertEquals(1, r.code);
		assertTrue(r.err.contains("is neither an image file nor a folder"), r.err);
		Run missing = run(argv("auto", dir.resolve("nope").toString(), "--output", dir.resolve("out").toString()));
		assertTrue(missing.err.contains("does not exist"), missing.err);
		assertFalse(Files.exists(dir.resolve("out")), "no output folder for a run that did nothing");
	}

	@Test
	void cacheFolderThatIsAFileIsSaidNotSilentlyIgnored(@TempDir Path dir) throws Exception {
		Path img = image(dir, "cell.tif");
		byte[] before = Files.readAllBytes(img);
		Run r = segment(img, "--output", dir.resolve("out.tif").toString(), "--cache-dir", img.toString());
		assertEquals(1, r.code);
		assertTrue(r.err.contains("--cache-dir " + img + " is a file"), r.err);
		assertArrayEquals(before, Files.readAllBytes(img));
	}

	@Test
	void scratchFilesOfKilledRunsAreRemovedOthersKept(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = Files.createDirectories(dir.resolve("out"));
		image(in, "a.tif");
		Process finished = new ProcessBuilder("true").start();
		finished.waitFor();
		Process alive = new ProcessBuilder("sleep", "60").start();
		try {
			String host = hostTag(), uuid = "0b5c2a52-3d4f-4a8e-9a71-0123456789ab";
			Path dead = out.resolve(".a_labels-partial-" + host + "-" + finished.pid() + "-" + uuid + ".tif");
			Path spool = out.resolve(".labels-spool-" + host + "-" + finished.pid() + "-" + uuid + ".raw");
			Path running = out.resolve(".a_labels-partial-" + host + "-" + alive.pid() + "-" + uuid + ".tif");
			Path otherHost = out.resolve(".a_labels-partial-othernode-" + finished.pid() + "-" + uuid + ".tif");
			Path users = out.resolve(".my-partial-notes.txt");
			for (Path p : List.of(dead, spool, running, otherHost, users))
				Files.writeString(p, "x");
			Run r = run(argv("auto", in.toString(), "--output", out.toString()));
			assertEquals(0, r.code, r.out + r.err);
			assertTrue(r.out.contains("removed 2 scratch files"), r.out);
			assertFalse(Files.exists(dead) || Files.exists(spool));
			assertTrue(Files.exists(running) && Files.exists(otherHost) && Files.exists(users));
		}
		finally {
			alive.destroyForcibly();
		}
	}

	/** The host part of scratch names, as AtomicFiles makes it (the name of a scratch file it creates). */
	static String hostTag() throws Exception {
		Path dir = Files.createTempDirectory("host-tag");
		try {
			Path p = org.fijisam.core.AtomicFiles.scratch(dir, "x", "partial", "");
			org.fijisam.core.AtomicFiles.release(p);
			String n = p.getFileName().toString();
			return n.substring(".x-partial-".length()).split("-")[0];
		}
		finally {
			Files.delete(dir);
		}
	}

	static List<String> names(Path dir) throws Exception {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}
}
