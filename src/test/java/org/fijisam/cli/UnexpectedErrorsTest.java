package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Failures no command turned into a message still reach the user as one plain line: no Java
 * class name, and the stack trace only with SAM_DEBUG=1.
 */
class UnexpectedErrorsTest {

	/** A command that fails with whatever it is given. */
	static final class Failing implements SamCli.Command {
		final Callable<Integer> body;

		Failing(Callable<Integer> body) {
			this.body = body;
		}

		@Override
		public String name() { return "fail"; }

		@Override
		public String summary() { return "fails"; }

		@Override
		public String help() { return "fail\n"; }

		@Override
		public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
			return body.call();
		}
	}

	static String errorOf(Callable<Integer> body) {
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		int code = new SamCli().add(new Failing(body)).run(new String[] { "fail" }, new PrintStream(
			new ByteArrayOutputStream()), new PrintStream(e, true));
		assertEquals(1, code);
		return e.toString(StandardCharsets.UTF_8);
	}

	@Test
	void bugsReadAsAnInternalErrorWithoutClassNames() {
		assertEquals("error: internal error (a value was missing); please report it with the command line\n",
			errorOf(() -> {
				Object o = null;
				return o.hashCode();
			}).replace("\r", ""));
		String err = errorOf(() -> {
			throw new IllegalStateException(new java.util.ConcurrentModificationException(
				"java.util.ConcurrentModificationException: the list changed"));
		});
		assertEquals("error: internal error (the list changed); please report it with the command line\n", err
			.replace("\r", ""));
		assertFalse(errorOf(() -> {
			throw new UnsupportedOperationException();
		}).contains("Exception"));
	}

	@Test
	void fileFailuresNameTheFileAndWhatToDo() {
		String missing = errorOf(() -> {
			throw new NoSuchFileException("/data/cells.tif");
		});
		assertEquals("error: Cannot read or write /data/cells.tif: /data/cells.tif does not exist. Check the spelling " +
			"of the path.\n", missing.replace("\r", ""));
		String denied = errorOf(() -> {
			throw new java.io.UncheckedIOException(new AccessDeniedException("/data/out"));
		});
		assertTrue(denied.startsWith("error: Cannot read or write /data/out: permission denied."), denied);
		String full = errorOf(() -> {
			throw new java.io.IOException("No space left on device");
		});
		assertTrue(full.startsWith("error: a file could not be read or written: the disk is full."), full);
	}

	/** Run as a child process: the only way to give the CLI an environment variable. */
	public static void main(String[] args) {
		System.exit(new SamCli().add(new Failing(() -> {
			throw new IllegalStateException("broken on purpose");
		})).run(args, System.out, System.err));
	}

	@Test
	void stackTraceOnlyWithSamDebug() throws Exception {
		String plain = child(false);
		assertEquals("error: internal error (broken on purpose); please report it with the command line", plain
			.strip());
		String debug = child(true);
		assertTrue(debug.startsWith("error: internal error (broken on purpose)"), debug);
		assertTrue(debug.contains("java.lang.IllegalStateException: broken on purpose") && debug.contains("\tat "),
			debug);
	}

	static String child(boolean debug) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-cp", System.getProperty("java.class.path"), UnexpectedErrorsTest.class.getName(), "fail"))
				.redirectErrorStream(true);
		pb.environment().remove("SAM_DEBUG");
		if (debug) pb.environment().put("SAM_DEBUG", "1");
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertEquals(1, p.exitValue(), out);
		return out;
	}
}
