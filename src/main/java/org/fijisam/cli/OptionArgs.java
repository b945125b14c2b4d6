package org.fijisam.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.fijisam.options.Option;
import org.fijisam.options.OptionTable;
import org.fijisam.options.OptionValues;

/**
 * The command line's view of an {@link OptionTable}: --key-with-dashes for every key, its
 * help lines, and the values given, checked by the table (same rules as macros and SciJava).
 */
final class OptionArgs {

	private OptionArgs() {}

	/** Names (dashes) of the table's options that take a value, besides {@code skip}. */
	static Set<String> valueOptions(OptionTable table, Set<String> skip) {
		Set<String> names = new TreeSet<>();
		for (Option o : table.options())
			if (o.type() != Option.Type.FLAG && !skip.contains(o.cliName())) {
				names.add(o.cliName());
				for (String a : o.aliases())
					names.add(a.replace('_', '-'));
			}
		return names;
	}

	static Set<String> flags(OptionTable table, Set<String> skip) {
		Set<String> names = new TreeSet<>();
		for (Option o : table.options())
			if (o.type() == Option.Type.FLAG && !skip.contains(o.cliName())) names.add(o.cliName());
		return names;
	}

	/** The values given on the command line for the table's options (model options left to ModelOptions). */
	static OptionValues values(CliArgs args, OptionTable table, Set<String> skip) throws CliArgs.UsageException {
		Map<String, String> given = new LinkedHashMap<>();
		for (Option o : table.options()) {
			if (skip.contains(o.cliName())) continue;
			if (o.type() == Option.Type.FLAG) {
				if (args.flag(o.cliName())) given.put(o.key(), "true");
				continue;
			}
			for (String a : o.aliases())
				if (args.get(a.replace('_', '-'), null) != null) given.put(o.key(), args.get(a.replace('_', '-'), null));
			if (args.get(o.cliName(), null) != null) given.put(o.key(), args.get(o.cliName(), null));
		}
		try {
			return table.values(given);
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(cliWords(e.getMessage()));
		}
	}

	/** "The option pred_iou_thresh=x" -> "--pred-iou-thresh x": messages in the command line's words. */
	static String cliWords(String message) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("option ([a-z_]+)=").matcher(message);
		StringBuffer sb = new StringBuffer();
		while (m.find())
			m.appendReplacement(sb, "option --" + m.group(1).replace('_', '-') + " ");
		m.appendTail(sb);
		return sb.toString();
	}

	/** One help line per option, from the table. */
	static String help(OptionTable table, Set<String> skip) {
		StringBuilder sb = new StringBuilder();
		for (Option o : table.options()) {
			if (skip.contains(o.cliName())) continue;
			String name = "--" + o.cliName() + (o.type() == Option.Type.FLAG ? "" : o.type() == Option.Type.CHOICE ? " P"
				: " X");
			String choices = o.type() == Option.Type.CHOICE ? " [" + String.join(", ", o.choices()) + "]" : "";
			String def = o.type() != Option.Type.FLAG && !o.defaultValue().isEmpty() && !o.help().contains("(default")
				? " (default " + o.defaultValue() + ")" : "";
			sb.append(String.format(Locale.ROOT, "  %-34s %s%s%s%n", name, o.help(), choices, def));
		}
		return sb.toString();
	}
}
