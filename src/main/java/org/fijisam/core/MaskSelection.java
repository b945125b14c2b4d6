package org.fijisam.core;

import java.util.Locale;

/** Which of SAM's outputs to keep for a prompt. */
public enum MaskSelection {
	/**
	 * SAM's recommendation: the best-scored ambiguity mask for a lone point, else the single
	 * mask; a model's descriptor may ask for its single mask for lone points too
	 * ({@link ModelSpec#lonePointSelection()}).
	 */
	AUTO,
	/** The single-mask output (token 0). */
	SINGLE,
	/** The ambiguity mask with the highest predicted IoU. */
	BEST_SCORE,
	/** The largest ambiguity mask (the "whole"). */
	LARGEST,
	/** The smallest ambiguity mask (the "sub-part"). */
	SMALLEST,
	/** All three ambiguity masks. */
	ALL;

	/** Parses "best_score", "best", "largest", ... as macros and the CLI give them. */
	public static MaskSelection parse(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
		if (t.equals("best")) return BEST_SCORE;
		for (MaskSelection s : values())
			if (s.name().toLowerCase(Locale.ROOT).equals(t)) return s;
		throw new IllegalArgumentException("Unknown mask choice '" + text +
			"': use auto, single, best_score, largest, smallest or all.");
	}

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}
}
