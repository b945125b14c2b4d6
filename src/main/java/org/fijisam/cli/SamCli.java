package org.fijisam.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;
import org.fijisam.core.UnexpectedErrors;

/**
 * {@code java -jar sam-cli.jar COMMAND ...}: the command-line batch tool. Each command is a
 * thin adapter over the core API; errors are printed as one line that says what to do.
 */
public final class SamCli {

	/** One sub-command. */
	interface Command {
		String name();

		String summary();

		String help();

		/** @return the exit code */
		int run(String[] args, PrintStream out, PrintStream err) throws Exception;
	}

	private final Map<String, Command> commands = new LinkedHashMap<>();

	/** The command line tool with every command (public for in-process runs: tests, other front ends). */
	public SamCli() {
		add(new SegmentCommand());
		add(new AutoCommand());
		add(new TuneAutoCommand());
		add(new EvaluateCommand());
		add(new BenchCommand());
		add(new ModelsCommand());
	}

	/** Adds (or replaces) a command; tests add ones that fail in planned ways. */
	SamCli add(Command c) {
		commands.put(c.name(), c);
		return this;
	}

	public static void main(String[] args) {
		System.setProperty("java.awt.headless", "true");
		int code = new SamCli().run(args, System.out, System.err);
		System.out.flush();
		System.exit(code);
	}

	/** Runs a command line and returns the exit code (0 ok, 1 failed, 2 usage error). */
	public int run(String[] args, PrintStream out, PrintStream err) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
			out.print(usage());
			return args.length == 0 ? 2 : 0;
		}
		Command c = commands.get(args[0]);
		if (c == null) {
			err.println("error: unknown command '" + args[0] + "'");
			err.print(usage());
			return 2;
		}
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--help") || args[i].equals("-h")) {
				out.print(c.help());
				return 0;
			}
		}
		try {
			return c.run(args, out, err);
		}
		catch (CliArgs.UsageException e) {
			err.println("error: " + e.getMessage());
			err.println("run 'sam-cli " + c.name() + " --help' for usage");
			return 2;
		}
		catch (SamException e) {
			err.println("error: " + e.getMessage());
			return 1;
		}
		catch (OutOfMemoryError e) {
			err.println("error: out of memory (" + e.getMessage() + "). Give Java more with -Xmx (e.g. java -Xmx8g " +
				"-jar sam-cli.jar ...), or use tiling / fewer points per batch.");
			return 1;
		}
		catch (InvalidPathException e) {
			// A path typed on the command line that the locale cannot spell (e.g. "é" with LANG=C).
			err.println("error: cannot use the path " + e.getInput() + ": " + FileProblems.cause(null, e));
			return 1;
		}
		catch (IOException | UncheckedIOException e) {
			IOException io = e instanceof UncheckedIOException ? ((UncheckedIOException) e).getCause()
				: (IOException) e;
			err.println("error: " + fileProblem(io));
			debug(e, err);
			return 1;
		}
		catch (Exception | Error e) {
			// A bug, or a library failing in a way nobody planned for: no class names for the user.
			err.println("error: " + UnexpectedErrors.line(e));
			debug(e, err);
			return 1;
		}
	}

	/** An I/O failure that no command turned into a message: the file, if known, and what to do. */
	static String fileProblem(IOException e) {
		String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
		if (file != null) {
			try {
				return FileProblems.describe("read or write", Path.of(file), e);
			}
			catch (InvalidPathException ex) {
				// Fall through: the file name alone is the problem.
			}
		}
		return "a file could not be read or written: " + FileProblems.cause(null, e);
	}

	/** The stack trace, for SAM_DEBUG=1 only: users get the one line above. */
	private static void debug(Throwable e, PrintStream err) {
		if ("1".equals(System.getenv("SAM_DEBUG"))) e.printStackTrace(err);
	}

	private String usage() {
		StringBuilder sb = new StringBuilder("usage: java -jar sam-cli.jar COMMAND [options]   (COMMAND --help for details)\n" +
			"commands:\n");
		for (Command c : commands.values())
			sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
		return sb.toString();
	}
}
