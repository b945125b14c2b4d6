package org.fijisam.plugin;

import ij.gui.GenericDialog;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.propagation.PropagationRules;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.PromptedPropagation;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.RoiPrompts;

/**
 * Options of "Segment with Prompts". Macro keys (= first words of the dialog labels):
 * prompts, area_rois, multimask, channels, normalize, add_rois, label_image, show_overlay,
 * results_table, propagate (none, z, t) with its stop rules min_overlap, min_iou,
 * min_stability, max_planes, and model, provider, threads to override the Settings for one call.
 */
final class SegmentPromptsOptions {

	static final String[] SOURCES = { "selection", "roi_manager", "selected_rois" };
	static final String[] AREAS = { "box", "mask" };
	static final String[] MASKS = { "auto", "single", "best_score", "largest", "smallest", "all" };
	static final String[] PROPAGATE = { "none", "z", "t" };

	String source = "roi_manager";
	RoiPrompts.AreaMode areaMode = RoiPrompts.AreaMode.BOX;
	MaskSelection selection = MaskSelection.AUTO;
	String channels = "";
	String normalize = "auto";
	boolean addRois = true;
	boolean labelImage = true;
	boolean overlay = false;
	boolean table = true;
	/** The axis to carry the objects along, null for none. */
	ImagePlusPlanes.Axis propagate;
	PropagationRules rules = PropagationRules.defaults();
	ModelSettings model;

	/** From a macro's options; unknown values throw IllegalArgumentException with a message. */
	static SegmentPromptsOptions parse(String macroOptions, ModelSettings saved) {
		MacroOptions m = new MacroOptions(macroOptions);
		SegmentPromptsOptions o = new SegmentPromptsOptions();
		o.source = oneOf("prompts", m.get("prompts", o.source), SOURCES);
		o.areaMode = RoiPrompts.AreaMode.parse(m.get("area_rois", "box"));
		o.selection = MaskSelection.parse(m.get("multimask", "auto"));
		o.channels = m.get("channels", "");
		o.normalize = m.get("normalize", "auto");
		o.addRois = m.flag("add_rois");
		o.labelImage = m.flag("label_image");
		o.overlay = m.flag("show_overlay");
		o.table = m.flag("results_table");
		o.propagate = axis(oneOf("propagate", m.get("propagate", "none"), PROPAGATE));
		PropagationRules d = PropagationRules.defaults();
		o.rules = rules(m.getDouble("min_overlap", d.minOverlap()), m.getDouble("min_iou", d.minPredictedIou()), m
			.getDouble("min_stability", d.minStability()), m.getInt("max_planes", 0));
		o.model = m.model(saved);
		o.check();
		return o;
	}

	/** Asks the user; null when cancelled. The dialog records the same keys as {@link #parse}. */
	static SegmentPromptsOptions dialog(boolean hasSelection, ModelSettings saved) {
		SegmentPromptsOptions o = new SegmentPromptsOptions();
		GenericDialog gd = new GenericDialog("Segment with Prompts");
		gd.addChoice("prompts from", SOURCES, hasSelection ? "selection" : "roi_manager");
		gd.addChoice("area_rois as", AREAS, "box");
		gd.addChoice("multimask output", MASKS, "auto");
		gd.addStringField("channels (R,G,B, 1-based; empty = default)", "", 10);
		gd.addStringField("normalize (auto, minmax, percentile:1,99.8, fixed:0,255)", "auto", 10);
		gd.addCheckbox("add_rois to the ROI Manager", true);
		gd.addCheckbox("label_image", true);
		gd.addCheckbox("show_overlay", false);
		gd.addCheckbox("results_table", true);
		PropagationRules d = PropagationRules.defaults();
		gd.addChoice("propagate through (z = slices, t = frames)", PROPAGATE, "none");
		gd.addNumericField("min_overlap with the previous plane (IoU)", d.minOverlap(), 2);
		gd.addNumericField("min_iou (predicted by the model)", d.minPredictedIou(), 2);
		gd.addNumericField("min_stability", d.minStability(), 2);
		gd.addNumericField("max_planes each way (0 = no limit)", 0, 0);
		gd.addMessage("Model: " + saved + " (change it in Segment Anything Settings)");
		gd.addHelp("https://github.com/fijisam/segment-anything-fiji#macros");
		gd.showDialog();
		if (gd.wasCanceled()) return null;
		o.source = gd.getNextChoice();
		o.areaMode = RoiPrompts.AreaMode.parse(gd.getNextChoice());
		o.selection = MaskSelection.parse(gd.getNextChoice());
		o.channels = gd.getNextString();
		o.normalize = gd.getNextString();
		o.addRois = gd.getNextBoolean();
		o.labelImage = gd.getNextBoolean();
		o.overlay = gd.getNextBoolean();
		o.table = gd.getNextBoolean();
		o.propagate = axis(gd.getNextChoice());
		o.rules = rules(gd.getNextNumber(), gd.getNextNumber(), gd.getNextNumber(), (int) gd.getNextNumber());
		o.model = saved;
		o.check();
		return o;
	}

	ChannelMapping channelMapping() {
		return channels.trim().isEmpty() ? null : ChannelMapping.parseOneBased(channels);
	}

	Normalization normalization() {
		return Normalization.parse(normalize);
	}

	private static ImagePlusPlanes.Axis axis(String choice) {
		return choice.equals("none") ? null : ImagePlusPlanes.Axis.parse(choice);
	}

	private static PropagationRules rules(double minOverlap, double minIou, double minStability, int maxPlanes) {
		return PromptedPropagation.rules(minOverlap, minIou, minStability, maxPlanes);
	}

	private void check() {
		channelMapping();
		normalization();
	}

	static String oneOf(String key, String value, String[] allowed) {
		for (String a : allowed)
			if (a.equalsIgnoreCase(value.trim())) return a;
		throw new IllegalArgumentException("Unknown " + key + "=" + value + ": use one of " + String.join(", ",
			allowed) + ".");
	}
}
