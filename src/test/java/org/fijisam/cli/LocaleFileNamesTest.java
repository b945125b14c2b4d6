package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ij.ImagePlus;
import ij.io.FileSaver;

import org.fijisam.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file named with letters the locale cannot spell (é with LANG=C, as on many clusters) used to
 * abort a whole folder run with a Java exception. The locale is fixed when a JVM starts, so the
 * command runs in a child JVM started with LANG=C, on the test class path.
 */
class LocaleFileNamesTest {

	static final class Child {
		int code;
		String out;
	}

	static Child samCli(Path workDir, String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), SamCli.class.getName()));
		cmd.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
		pb.environment().put("LANG", "C");
		pb.environment().put("LC_ALL", "C");
		Process p = pb.start();
		Child c = new Child();
		c.out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
		c.code = p.exitValue();
		return c;
	}

	@Test
	void unspellableNameFailsAloneAndTheFolderGoesOn(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		new FileSaver(new ImagePlus("a", AutoCommandTest.gradient(128, 128))).saveAsTiff(in.resolve("a.tif")
			.toString());
		// "é.tif" made by the shell from its UTF-8 bytes: this JVM's own locale may not spell it either.
		Process cp = new ProcessBuilder("sh", "-c", "cp a.tif \"$(printf 'z\\303\\251.tif')\"").directory(in.toFile())
			.start();
		assertEquals(0, cp.waitFor());
		try (var files = Files.list(in)) {
			assertEquals(2, files.count());
		}
		List<String> args = new ArrayList<>(List.of("auto", "in", "--output", "out"));
		args.addAll(List.of(AutoCommandTest.FAST));
		args.addAll(List.of("--model", Fixtures.folder("known").toAbsolutePath().toString()));
		Child c = samCli(dir, args.toArray(new String[0]));
		assertEquals(1, c.code, c.out);
		assertTrue(c.out.contains("summary: 1 segmented, 0 skipped (already done), 1 failed"), c.out);
		assertTrue(c.out.contains("cannot be represented in this system's character set"), c.out);
		assertTrue(c.out.contains("run with a UTF-8 locale"), c.out);
		assertFalse(c.out.contains("Exception"), c.out);
		assertTrue(Files.isRegularFile(dir.resolve("out/a_labels.tif")), "the rest of the folder was segmented");
		try (var outputs = Files.list(dir.resolve("out"))) {
			assertTrue(outputs.allMatch(p -> p.getFileName().toString().startsWith("a_") || p.getFileName()
				.toString().equals(".a.done.json")), "no output with a '?' name");
		}
		// The same name typed as the argument: one clear line, no Java exception. (Only this JVM
		// under UTF-8 passes the name's real bytes on.)
		if (!"UTF-8".equals(System.getProperty("sun.jnu.encoding"))) return;
		Child direct = samCli(dir, "auto", "in/z\u00e9.tif", "--output", "out");
		assertEquals(1, direct.code, direct.out);
		assertTrue(direct.out.contains("cannot be represented in this system's character set"), direct.out);
		assertFalse(direct.out.contains("Exception"), direct.out);
	}
}
