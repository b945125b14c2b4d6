package org.fijisam.plugin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.Macro;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;
import org.fijisam.options.Option;
import org.fijisam.options.OptionTable;
import org.fijisam.options.OptionValues;

/** Reads a macro's option string the way GenericDialog would (same keys, same rules). */
final class MacroOptions {

	private final String options;

	MacroOptions(String options) {
		this.options = options == null ? "" : options + " ";
	}

	/**
	 * The value of {@code key}. Only a key that starts a word counts: ImageJ's own lookup would
	 * read "output=" inside "multimask_output=", since it only refuses a letter before the key.
	 */
	String get(String key, String defaultValue) {
		String o = " " + options;
		int at = -1;
		while ((at = o.indexOf(" " + key + "=", at + 1)) >= 0)
			return Macro.getValue(o.substring(at + 1), key, defaultValue);
		return defaultValue;
	}

	/**
	 * The values given for the table's options (keys or their older aliases), checked by the
	 * table; {@code skip}: keys this command reads otherwise (model, provider, threads).
	 */
	OptionValues values(OptionTable table, Set<String> skip) {
		Map<String, String> given = new LinkedHashMap<>();
		for (Option o : table.options()) {
			if (skip.contains(o.key())) continue;
			if (o.type() == Option.Type.FLAG) {
				if (flag(o.key())) given.put(o.key(), "true");
				continue;
			}
			for (String alias : o.aliases())
				if (get(alias, null) != null) given.put(o.key(), get(alias, null));
			if (get(o.key(), null) != null) given.put(o.key(), get(o.key(), null));
		}
		return table.values(given);
	}

	/** A checkbox: true when the key appears on its own (as GenericDialog records it). */
	boolean flag(String key) {
		String o = " " + options.toLowerCase(Locale.ROOT);
		return o.contains(" " + key + " ");
	}

	int getInt(String key, int defaultValue) {
		String v = get(key, null);
		if (v == null) return defaultValue;
		try {
			return (int) Double.parseDouble(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("The option " + key + "=" + v + " is not a number.");
		}
	}

	double getDouble(String key, double defaultValue) {
		String v = get(key, null);
		if (v == null) return defaultValue;
		try {
			return Double.parseDouble(v.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("The option " + key + "=" + v + " is not a number.");
		}
	}

	/** The saved model settings, overridden by model=, provider= and threads= when given. */
	ModelSettings model(ModelSettings saved) {
		ModelSettings s = saved;
		String folder = get("model", null);
		if (folder != null) s = s.withModelFolder(folder);
		String provider = get("provider", null);
		if (provider != null) s = s.withProvider(ExecutionOptions.Provider.parse(provider));
		return s.withThreads(getInt("threads", s.threads()));
	}
}
