package org.fijisam.ij;

import java.util.Locale;

/**
 * What the user chose for automatic segmentation: a preset and the parameters that refine it.
 * NaN / 0 mean "the preset's value". Keys match the automatic issue's parameters.
 */
public final class AutomaticParameters {

	/** default = SAM's settings for natural images; microscopy = micro-sam's lower thresholds. */
	public static final String[] PRESETS = { "default", "microscopy" };

	public String preset = "default";
	public int pointsPerSide = 0;
	public double predIouThresh = Double.NaN;
	public double stabilityThresh = Double.NaN;
	public int minSize = -1;

	public static String preset(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		for (String p : PRESETS)
			if (p.equals(t)) return p;
		throw new IllegalArgumentException("Unknown preset '" + text + "': use " + String.join(" or ", PRESETS) +
			".");
	}
}
