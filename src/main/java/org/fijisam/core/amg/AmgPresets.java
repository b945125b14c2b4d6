package org.fijisam.core.amg;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Named parameter sets ("sam_default", "microscopy", ...) read from the data file
 * {@code presets.properties} next to this class: {@code PRESET.KEY=VALUE} lines on top of
 * SAM's defaults, so tuning a preset never needs a code change.
 */
public final class AmgPresets {

	/** The paper's settings. */
	public static final String SAM_DEFAULT = "sam_default";
	/** Lower thresholds and a minimum size, for microscopy-tuned models. */
	public static final String MICROSCOPY = "microscopy";

	private static final Map<String, AmgParameters> PRESETS = new LinkedHashMap<>();
	private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

	static {
		Properties p = new Properties();
		try (InputStream in = AmgPresets.class.getResourceAsStream("presets.properties")) {
			if (in != null) try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
				p.load(r);
			}
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot read the AMG presets", e);
		}
		List<String> names = new ArrayList<>(p.stringPropertyNames());
		Collections.sort(names);
		PRESETS.put(SAM_DEFAULT, AmgParameters.defaults());
		for (String name : names) {
			int dot = name.indexOf('.');
			if (dot < 0) continue;
			String preset = name.substring(0, dot), key = name.substring(dot + 1);
			AmgParameters base = PRESETS.getOrDefault(preset, AmgParameters.defaults());
			if (key.equals("description")) DESCRIPTIONS.put(preset, p.getProperty(name));
			else base = base.with(key, p.getProperty(name));
			PRESETS.put(preset, base);
		}
	}

	private AmgPresets() {}

	/** The parameters of a preset (name case-insensitive, dashes or underscores). */
	public static AmgParameters get(String name) {
		AmgParameters p = PRESETS.get(AmgParameters.normalizeKey(name).toLowerCase(Locale.ROOT));
		if (p == null) throw new IllegalArgumentException("Unknown preset '" + name + "': use one of " + String
			.join(", ", PRESETS.keySet()) + ".");
		return p;
	}

	/** Preset names, SAM default first. */
	public static List<String> names() {
		return new ArrayList<>(PRESETS.keySet());
	}

	public static String description(String name) {
		return DESCRIPTIONS.getOrDefault(AmgParameters.normalizeKey(name), "");
	}
}
