package org.fijisam.core.amg;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of automatic mask generation. Every SAM parameter keeps the name and default
 * of the reference implementation (sam-reference section 4); two are ours: the maximum area
 * fraction (the paper's data engine drops masks covering 95 % of the image) and the minimum
 * object size of the label image. Immutable: {@link #with(String, String)} returns a copy.
 * Keys are snake_case, the same in the CLI (with dashes), macros and the presets file.
 */
public final class AmgParameters implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	/** One parameter: its key, default and allowed range. */
	private static final class Key {
		final String name;
		final double defaultValue;
		final boolean integer;
		final double min;
		final double max;
		final String help;

		Key(String name, double defaultValue, boolean integer, double min, double max, String help) {
			this.name = name;
			this.defaultValue = defaultValue;
			this.integer = integer;
			this.min = min;
			this.max = max;
			this.help = help;
		}
	}

	private static final Map<String, Key> KEYS = new LinkedHashMap<>();

	private static void key(String name, double def, boolean integer, double min, double max, String help) {
		KEYS.put(name, new Key(name, def, integer, min, max, help));
	}

	static {
		key("points_per_side", 32, true, 1, 1024, "grid points per side of the image (n x n prompts)");
		key("points_per_batch", 64, true, 1, 4096, "point prompts decoded in one decoder run");
		key("multimask_output", 1, true, 0, 1,
			"1: the three ambiguity masks of every point are candidates (SAM); 0: the single-mask output only");
		key("use_m2m", 0, true, 0, 1, "1: refine every candidate once more, its own low-res logits as mask " +
			"input with the same point (SAM 2's mask-to-mask refinement; one more decoder run per candidate)");
		key("pred_iou_thresh", 0.88, false, 0, 1, "keep masks whose predicted IoU is strictly above this");
		key("stability_score_thresh", 0.95, false, 0, 1, "keep masks whose stability score is at least this");
		key("stability_score_offset", 1.0, false, 0, 100, "logit offset of the stability score");
		key("box_nms_thresh", 0.7, false, 0, 1, "box IoU above which the lower-scored mask is dropped");
		key("crop_n_layers", 0, true, 0, 5, "extra layers of overlapping crops (layer i: 2^i x 2^i crops)");
		key("crop_nms_thresh", 0.7, false, 0, 1, "box IoU for NMS between crops (smaller crops win)");
		key("crop_overlap_ratio", 512.0 / 1500.0, false, 0, 1, "crop overlap as a fraction of the short side");
		key("crop_n_points_downscale_factor", 1, true, 1, 64, "grid of layer i has points_per_side / f^i points");
		key("min_mask_region_area", 0, true, 0, Integer.MAX_VALUE,
			"fill holes and remove islands smaller than this (pixels); 0 = off");
		key("max_area_fraction", 0.95, false, 0, 1, "drop masks covering at least this fraction of the image (1 = keep all)");
		key("min_object_size", 0, true, 0, Integer.MAX_VALUE,
			"label image: drop objects (connected components) smaller than this (pixels)");
	}

	private final Map<String, Double> values;

	private AmgParameters(Map<String, Double> values) {
		this.values = Collections.unmodifiableMap(values);
	}

	/** SAM's defaults. */
	public static AmgParameters defaults() {
		Map<String, Double> v = new LinkedHashMap<>();
		for (Key k : KEYS.values())
			v.put(k.name, k.defaultValue);
		return new AmgParameters(v);
	}

	/** A copy with one parameter changed; {@code key} may use dashes or underscores. */
	public AmgParameters with(String key, double value) {
		Key k = KEYS.get(normalizeKey(key));
		if (k == null) throw new IllegalArgumentException("Unknown parameter '" + key + "'. Known: " +
			String.join(", ", KEYS.keySet()) + ".");
		if (!(value >= k.min && value <= k.max) || (k.integer && value != Math.rint(value)))
			throw new IllegalArgumentException(describeRange(k, value));
		Map<String, Double> v = new LinkedHashMap<>(values);
		v.put(k.name, value);
		return new AmgParameters(v);
	}

	/** A copy with one parameter changed, parsed from text (CLI, macro and presets syntax). */
	public AmgParameters with(String key, String text) {
		double value;
		try {
			// "512/1500" is accepted so that the reference's crop_overlap_ratio can be written as is.
			int slash = text.indexOf('/');
			value = slash > 0 ? Double.parseDouble(text.substring(0, slash).trim()) / Double.parseDouble(text
				.substring(slash + 1).trim()) : Double.parseDouble(text.trim());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("Parameter " + normalizeKey(key) + " needs a number, got '" + text +
				"'.");
		}
		return with(key, value);
	}

	private static String describeRange(Key k, double value) {
		if (k.name.equals("points_per_side") && value < 1) return "points_per_side must be at least 1 (got " +
			fmt(value) + "): a grid of 0 points prompts nothing. Use 1 for a single centre point, 32 for SAM's default.";
		return String.format(Locale.ROOT, "Parameter %s must be %s between %s and %s, got %s.", k.name,
			k.integer ? "a whole number" : "a number", fmt(k.min), fmt(k.max), fmt(value));
	}

	static String normalizeKey(String key) {
		return key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
	}

	private static String fmt(double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
	}

	/** True when {@code key} names a parameter (dashes or underscores). */
	public static boolean isKey(String key) {
		return KEYS.containsKey(normalizeKey(key));
	}

	/** Every key, in a stable order. */
	public static Iterable<String> keys() {
		return Collections.unmodifiableSet(KEYS.keySet());
	}

	/** One line of help for a key (for --help and dialogs). */
	public static String help(String key) {
		Key k = KEYS.get(normalizeKey(key));
		if (k == null) return "";
		// The last two keys are ours, not SAM's: say so rather than credit SAM with them.
		boolean ours = k.name.equals("max_area_fraction") || k.name.equals("min_object_size");
		String def = k.name.equals("crop_overlap_ratio") ? "512/1500" : fmt(k.defaultValue);
		return k.help + (ours ? " (default " : " (SAM default ") + def + ")";
	}

	public double get(String key) {
		Double v = values.get(normalizeKey(key));
		if (v == null) throw new IllegalArgumentException("Unknown parameter '" + key + "'.");
		return v;
	}

	public int pointsPerSide() { return (int) get("points_per_side"); }

	public int pointsPerBatch() { return (int) get("points_per_batch"); }

	public double predIouThresh() { return get("pred_iou_thresh"); }

	public double stabilityScoreThresh() { return get("stability_score_thresh"); }

	public double stabilityScoreOffset() { return get("stability_score_offset"); }

	public double boxNmsThresh() { return get("box_nms_thresh"); }

	public int cropNLayers() { return (int) get("crop_n_layers"); }

	/** False: each grid point gives only the decoder's single-mask output (SAM 2's AMG option). */
	public boolean multimaskOutput() { return get("multimask_output") != 0; }

	/**
	 * True: each first-pass mask is decoded again with its low-resolution logits as mask input
	 * (SAM2AutomaticMaskGenerator's use_m2m); the refined mask and its IoU are what is filtered.
	 */
	public boolean useM2m() { return get("use_m2m") != 0; }

	public double cropNmsThresh() { return get("crop_nms_thresh"); }

	public double cropOverlapRatio() { return get("crop_overlap_ratio"); }

	public int cropNPointsDownscaleFactor() { return (int) get("crop_n_points_downscale_factor"); }

	public int minMaskRegionArea() { return (int) get("min_mask_region_area"); }

	public double maxAreaFraction() { return get("max_area_fraction"); }

	public int minObjectSize() { return (int) get("min_object_size"); }

	/** Shorthand setters for code and tests. */
	public AmgParameters withPointsPerSide(int n) { return with("points_per_side", n); }

	public AmgParameters withPredIouThresh(double t) { return with("pred_iou_thresh", t); }

	public AmgParameters withStabilityScoreThresh(double t) { return with("stability_score_thresh", t); }

	public AmgParameters withCropNLayers(int n) { return with("crop_n_layers", n); }

	public AmgParameters withMinMaskRegionArea(int a) { return with("min_mask_region_area", a); }

	public AmgParameters withMinObjectSize(int a) { return with("min_object_size", a); }

	/**
	 * Looser settings to suggest when nothing survived: predicted IoU at most 0.3 and
	 * stability at most 0.5 (halved when already that low), no minimum size, and the three
	 * ambiguity masks of every point as candidates (more chances for small objects). Always
	 * below the current values, so a hint never proposes what was just tried.
	 */
	public AmgParameters relaxed() {
		return withPredIouThresh(lower(predIouThresh(), 0.3)).withStabilityScoreThresh(lower(stabilityScoreThresh(),
			0.5)).withMinObjectSize(0).with("multimask_output", 1);
	}

	private static double lower(double current, double suggestion) {
		return current > suggestion ? suggestion : Math.round(current * 50) / 100.0;
	}

	/** All values by key (for reports and JSON output). */
	public Map<String, Double> asMap() {
		return values;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof AmgParameters && ((AmgParameters) o).values.equals(values);
	}

	@Override
	public int hashCode() {
		return values.hashCode();
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		for (Map.Entry<String, Double> e : values.entrySet()) {
			if (sb.length() > 0) sb.append(", ");
			sb.append(e.getKey()).append('=').append(fmt(e.getValue()));
		}
		return sb.toString();
	}
}
