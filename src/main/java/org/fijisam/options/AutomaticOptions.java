package org.fijisam.options;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.SliceLinker;
import org.fijisam.core.amg.Tiling;

/**
 * The one table of options of automatic segmentation ("segment everything"), read by the CLI
 * ({@code sam-cli auto}, with dashes), the Fiji commands and macros (Segment Everything, Batch
 * Segment Folder), the SciJava commands and the Spark job.
 */
public final class AutomaticOptions {

	/** Preset value meaning "the one the model's descriptor recommends". */
	public static final String MODEL_PRESET = "auto";
	/**
	 * Preset value of macros recorded before the table existed, when "default" was SAM's
	 * settings: read as the defaults of the model family's official generator (sam_default, or
	 * sam2_default for a SAM 2 model), never listed as a choice.
	 */
	public static final String FAMILY_PRESET = "default";

	public static final String PRESET = "preset";
	public static final String MODE = "mode";
	/** Mode value meaning "the one the model recommends" (ais with an instance decoder, else amg). */
	public static final String MODEL_MODE = "auto";
	public static final List<String> MODES = List.of(MODEL_MODE, "amg", "ais", "apg");
	public static final String FOREGROUND_THRESHOLD = "foreground_threshold";
	public static final String CENTER_DISTANCE_THRESHOLD = "center_distance_threshold";
	public static final String BOUNDARY_DISTANCE_THRESHOLD = "boundary_distance_threshold";
	public static final String TILE = "tile";
	public static final String HALO = "halo";
	public static final String NORMALIZE = "normalize";
	public static final String CHANNELS = "channels";
	public static final String LINK = "link";
	public static final String LINK_IOU = "link_iou";
	public static final String COCO = "coco";
	public static final String ROIS = "rois";
	public static final String OVERWRITE = "overwrite";
	public static final String MODEL = "model";
	public static final String PROVIDER = "provider";
	public static final String THREADS = "threads";

	/** Preset choices: the model's own first, then every preset of presets.properties. */
	public static final List<String> PRESETS;

	/** Everything that shapes the segmentation itself (no files, no model). */
	public static final OptionTable SEGMENTATION;
	/** {@link #SEGMENTATION} plus what a run over files needs (outputs, resume, model). */
	public static final OptionTable FILES;

	static {
		List<String> presets = new ArrayList<>();
		presets.add(MODEL_PRESET);
		presets.addAll(AmgPresets.names());
		PRESETS = List.copyOf(presets);
		List<Option> seg = new ArrayList<>();
		seg.add(Option.choice(MODE, MODEL_MODE, MODES, "amg = SAM's grid of point prompts; ais = the model's instance " +
			"decoder and a seeded watershed (micro-sam's AIS: one decoder run per plane); apg = ais's objects as box + " +
			"point prompts to the mask decoder, filtered by the preset's IoU/stability thresholds and NMS; auto = ais when the model " +
			"has an instance decoder, else amg"));
		// "default" was SAM's settings in macros recorded before the table existed (FAMILY_PRESET).
		seg.add(Option.choice(PRESET, MODEL_PRESET, PRESETS, "parameter set; auto = the model's recommended one " +
			"(sam.json automatic_preset: microscopy for the built-in model, sam2_default for SAM 2, else sam_default)")
			.oldValue(FAMILY_PRESET, FAMILY_PRESET));
		for (String key : AmgParameters.keys()) {
			boolean whole = key.equals("points_per_side") || key.equals("points_per_batch") || key.equals(
				"multimask_output") || key.equals("use_m2m") || key.startsWith("crop_n_") || key.startsWith("min_");
			String help = "(empty = the preset's) " + AmgParameters.help(key);
			Option o = whole ? Option.integer(key, "", help) : Option.number(key, "", help);
			// Older macro keys, kept so that recorded macros replay.
			if (key.equals("stability_score_thresh")) o = o.alias("stability_thresh");
			if (key.equals("min_object_size")) o = o.alias("min_size");
			seg.add(o);
		}
		seg.add(Option.number(FOREGROUND_THRESHOLD, "", "ais: a pixel is inside an object above this probability " +
			"(empty = the model's, 0.5 unless its sam.json says otherwise)"));
		seg.add(Option.number(CENTER_DISTANCE_THRESHOLD, "", "ais: seeds are pixels closer than this to their " +
			"object's centre (0..1, empty = the model's)"));
		seg.add(Option.number(BOUNDARY_DISTANCE_THRESHOLD, "", "ais: ... and farther than this from its boundary " +
			"(0..1, 0 = deepest; empty = the model's)"));
		seg.add(Option.integer(TILE, "", "split planes larger than N px into tiles (empty = automatic above " +
			Tiling.AUTO_ABOVE + " px, tile " + Tiling.DEFAULT_TILE + "; 0 = never)"));
		seg.add(Option.integer(HALO, Integer.toString(Tiling.DEFAULT_HALO), "context around each tile (px)"));
		seg.add(Option.text(NORMALIZE, "auto", "auto (as the model expects), minmax, percentile:LOW,HIGH or " +
			"fixed:MIN,MAX; stacks use one range measured over all planes"));
		seg.add(Option.text(CHANNELS, "", "1-based channels feeding R,G,B (0 = black), one number for grey " +
			"(empty = the image's own)"));
		seg.add(Option.flag(LINK, "stacks: give an object one label through z/t (overlap matching)"));
		seg.add(Option.number(LINK_IOU, Double.toString(SliceLinker.DEFAULT_MIN_IOU),
			"minimum IoU between adjacent planes for link"));
		SEGMENTATION = new OptionTable(seg);
		List<Option> files = new ArrayList<>(seg);
		files.add(Option.flag(COCO, "also write NAME_coco.json (COCO RLE, SA-1B layout)"));
		files.add(Option.flag(ROIS, "also write NAME_rois.zip (an ImageJ ROI set, one ROI per object)"));
		files.add(Option.flag(OVERWRITE, "redo images whose outputs are complete (default: skip them)"));
		files.add(Option.text(MODEL, "", "model folder (empty = the built-in model)"));
		files.add(Option.choice(PROVIDER, "cpu", List.of("cpu", "cuda", "auto"), "where the model runs"));
		files.add(Option.integer(THREADS, "0", "CPU threads (0 = all cores)"));
		FILES = new OptionTable(files);
	}

	private AutomaticOptions() {}
}
