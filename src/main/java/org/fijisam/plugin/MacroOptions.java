package org.fijisam.plugin;

import java.util.Locale;

import ij.Macro;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;

/** Reads a macro's option string the way GenericDialog would (same keys, same rules). */
final class MacroOptions {

	private final String options;

	MacroOptions(String options) {
		this.options = options == null ? "" : options + " ";
	}

	String get(String key, String defaultValue) {
		return Macro.getValue(options, key, defaultValue);
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
