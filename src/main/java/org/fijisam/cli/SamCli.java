package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;

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

	SamCli() {
		add(new SegmentCommand());
		add(new AutoCommand());
		add(new TuneAutoCommand());
		add(new EvaluateCommand());
		add(new BenchCommand());
	}

	private void add(Command c) {
		commands.put(c.name(), c);
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
			err.println("error: cannot use the path " + e.getInput() + ": " + FileProblems.cause(Path.of(""), e));
			return 1;
		}
		catch (Exception e) {
			err.println("error: " + e);
			return 1;
		}
	}

	private String usage() {
		StringBuilder sb = new StringBuilder("usage: java -jar sam-cli.jar COMMAND [options]   (COMMAND --help for details)\n" +
			"commands:\n");
		for (Command c : commands.values())
			sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
		return sb.toString();
	}
}
