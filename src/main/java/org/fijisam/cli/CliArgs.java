package org.fijisam.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal GNU-style argument parsing: positional arguments, "--name value" options (some
 * repeatable) and "--flag" switches. Unknown options are errors, so typos never go unnoticed.
 */
final class CliArgs {

	/** A usage error: printed with the command's help hint, exit code 2. */
	static final class UsageException extends Exception {
		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}
	}

	private final List<String> positional = new ArrayList<>();
	private final Map<String, List<String>> options = new HashMap<>();
	private final Set<String> flags = new java.util.HashSet<>();

	CliArgs(String[] args, int from, Set<String> valueOptions, Set<String> flagOptions) throws UsageException {
		for (int i = from; i < args.length; i++) {
			String a = args[i];
			if (a.startsWith("--")) {
				String name = a.substring(2);
				String value = null;
				int eq = name.indexOf('=');
				if (eq >= 0) {
					value = name.substring(eq + 1);
					name = name.substring(0, eq);
				}
				if (flagOptions.contains(name)) {
					flags.add(name);
					continue;
				}
				if (!valueOptions.contains(name)) throw new UsageException("unknown option --" + name);
				if (value == null) {
					if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
					value = args[++i];
				}
				options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
			}
			else positional.add(a);
		}
		// Commands read their input and create output folders before loading the model: a wrong
		// --threads or --provider must stop them first.
		if (valueOptions.containsAll(ModelOptions.VALUE_OPTIONS)) ModelOptions.execution(this);
	}

	List<String> positional() { return positional; }

	boolean flag(String name) { return flags.contains(name); }

	String get(String name, String fallback) {
		List<String> v = options.get(name);
		return v == null ? fallback : v.get(v.size() - 1);
	}

	List<String> all(String name) {
		return options.getOrDefault(name, new ArrayList<>());
	}

	int getInt(String name, int fallback) throws UsageException {
		String v = get(name, null);
		if (v == null) return fallback;
		try {
			return Integer.parseInt(v.trim());
		}
		catch (NumberFormatException e) {
			throw new UsageException("--" + name + " needs a whole number, got '" + v + "'");
		}
	}

	double getDouble(String name, double fallback) throws UsageException {
		String v = get(name, null);
		if (v == null) return fallback;
		try {
			return Double.parseDouble(v.trim());
		}
		catch (NumberFormatException e) {
			throw new UsageException("--" + name + " needs a number, got '" + v + "'");
		}
	}

	/** Parses "a,b,c" into numbers, with a message naming the option on failure. */
	static double[] numbers(String option, String text, int min, int max) throws UsageException {
		String[] parts = text.split(",");
		if (parts.length < min || parts.length > max) throw new UsageException("--" + option + " '" + text +
			"' needs " + (min == max ? min : min + " to " + max) + " comma-separated numbers");
		double[] v = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				v[i] = Double.parseDouble(parts[i].trim());
			}
			catch (NumberFormatException e) {
				throw new UsageException("--" + option + " '" + text + "': '" + parts[i] + "' is not a number");
			}
		}
		return v;
	}
}
