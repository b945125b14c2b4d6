package org.fijisam.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One option of the tools: a snake_case key (the macro key and SciJava parameter name; the
 * CLI spells it with dashes), its type, default, allowed choices and one line of help. Older
 * spellings of a key (aliases) keep recorded macros replaying.
 */
public final class Option implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	/** What a value must look like. */
	public enum Type { CHOICE, INTEGER, NUMBER, FLAG, TEXT }

	private final String key;
	private final Type type;
	private final String defaultValue;
	private final List<String> choices;
	private final String help;
	private final List<String> aliases;
	/** Old values of a choice still read (e.g. preset=default from recorded macros). */
	private final Map<String, String> oldValues;

	private Option(String key, Type type, String defaultValue, List<String> choices, String help,
		List<String> aliases)
	{
		this(key, type, defaultValue, choices, help, aliases, Map.of());
	}

	private Option(String key, Type type, String defaultValue, List<String> choices, String help,
		List<String> aliases, Map<String, String> oldValues)
	{
		this.oldValues = new LinkedHashMap<>(oldValues);
		this.key = key;
		this.type = type;
		this.defaultValue = defaultValue;
		this.choices = Collections.unmodifiableList(new ArrayList<>(choices));
		this.help = help;
		this.aliases = Collections.unmodifiableList(new ArrayList<>(aliases));
	}

	public static Option choice(String key, String defaultValue, List<String> choices, String help) {
		if (!choices.contains(defaultValue)) throw new IllegalArgumentException(key + ": default " + defaultValue +
			" is not one of " + choices);
		return new Option(key, Type.CHOICE, defaultValue, choices, help, List.of());
	}

	/** A whole number; an empty default means "not set" (e.g. the preset's value applies). */
	public static Option integer(String key, String defaultValue, String help) {
		return new Option(key, Type.INTEGER, defaultValue, List.of(), help, List.of());
	}

	/** A number; an empty default means "not set". */
	public static Option number(String key, String defaultValue, String help) {
		return new Option(key, Type.NUMBER, defaultValue, List.of(), help, List.of());
	}

	/** A switch, off unless given. */
	public static Option flag(String key, String help) {
		return new Option(key, Type.FLAG, "false", List.of(), help, List.of());
	}

	public static Option text(String key, String defaultValue, String help) {
		return new Option(key, Type.TEXT, defaultValue, List.of(), help, List.of());
	}

	/** The same option also read under older keys. */
	public Option alias(String... oldKeys) {
		List<String> all = new ArrayList<>(aliases);
		all.addAll(Arrays.asList(oldKeys));
		return new Option(key, type, defaultValue, choices, help, all, oldValues);
	}

	/** A choice that also accepts {@code oldValue}, read as {@code choice}. */
	public Option oldValue(String oldValue, String choice) {
		Map<String, String> all = new LinkedHashMap<>(oldValues);
		all.put(oldValue, choice);
		return new Option(key, type, defaultValue, choices, help, aliases, all);
	}

	public String key() { return key; }

	public Type type() { return type; }

	/** The value used when the option is not given; "" = not set. */
	public String defaultValue() { return defaultValue; }

	public List<String> choices() { return choices; }

	public String help() { return help; }

	public List<String> aliases() { return aliases; }

	/** --key-with-dashes, the command-line spelling. */
	public String cliName() {
		return key.replace('_', '-');
	}

	/**
	 * The value in its canonical form (choices in lower case, numbers as typed), or an
	 * {@link IllegalArgumentException} whose message names the key and what is allowed.
	 */
	public String check(String value) {
		String v = value == null ? "" : value.trim();
		switch (type) {
			case CHOICE:
				for (String c : choices)
					if (c.equalsIgnoreCase(v)) return c;
				String renamed = oldValues.get(v.toLowerCase(Locale.ROOT));
				if (renamed != null) return renamed;
				throw new IllegalArgumentException("The option " + key + "=" + value + " is not allowed: use one of " +
					String.join(", ", choices) + ".");
			case INTEGER:
				// NaN: what an untouched numeric dialog field records for "not set"
				if (v.isEmpty() || v.equalsIgnoreCase("nan")) return "";
				try {
					double d = Double.parseDouble(v);
					if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new NumberFormatException();
					return Integer.toString((int) d);
				}
				catch (NumberFormatException e) {
					throw new IllegalArgumentException("The option " + key + "=" + value + " needs a whole number.");
				}
			case NUMBER:
				if (v.isEmpty() || v.equalsIgnoreCase("nan")) return "";
				try {
					// "512/1500" as the reference writes crop_overlap_ratio
					int slash = v.indexOf('/');
					if (slash > 0) Double.parseDouble(v.substring(0, slash));
					else Double.parseDouble(v);
					return v;
				}
				catch (NumberFormatException e) {
					throw new IllegalArgumentException("The option " + key + "=" + value + " needs a number.");
				}
			case FLAG:
				if (v.isEmpty() || v.equalsIgnoreCase("true")) return "true";
				if (v.equalsIgnoreCase("false")) return "false";
				throw new IllegalArgumentException("The option " + key + " is a switch: give it alone (or true/false), " +
					"not " + value + ".");
			default:
				return v;
		}
	}

	@Override
	public String toString() {
		return key + " (" + type.name().toLowerCase(Locale.ROOT) + (defaultValue.isEmpty() ? "" : ", default " +
			defaultValue) + ")";
	}
}
