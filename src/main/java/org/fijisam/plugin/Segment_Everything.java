package org.fijisam.plugin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.ij.AmgPlaneSegmentation;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ResultsPublisher;
import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.AutomaticSettings;
import org.fijisam.options.Option;
import org.fijisam.options.OptionValues;

/**
 * Plugins > Segment Anything > Segment Everything: automatic masks on the current plane, all
 * slices or all frames. Macro keys: scope (current_plane, all_slices, all_frames), add_rois,
 * label_image, results_table, model, provider, threads, and every option of
 * {@link AutomaticOptions#SEGMENTATION} (preset, the SAM parameters, tile, halo, normalize,
 * channels; stability_thresh and min_size still read as older names).
 */
public class Segment_Everything implements PlugIn {

	static final String TITLE = "Segment Everything";
	static final String[] SCOPES = { "current_plane", "all_slices", "all_frames" };

	/** Table options this command does not take: files, models (read by MacroOptions.model), stack linking. */
	static final Set<String> NOT_HERE = Set.of(AutomaticOptions.MODEL, AutomaticOptions.PROVIDER,
		AutomaticOptions.THREADS, AutomaticOptions.LINK, AutomaticOptions.LINK_IOU);
	/** The parameters the dialog shows (the macro takes every table option). */
	static final String[] DIALOG_NUMBERS = { "points_per_side", "pred_iou_thresh", "stability_score_thresh",
		"min_object_size" };

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new UnsupportedImageException("No image is open: open an image, then run " +
				TITLE + ".");
			OptionValues values;
			String scope;
			boolean addRois, labels, table;
			ModelSettings model;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				scope = SegmentPromptsOptions.oneOf("scope", m.get("scope", "current_plane"), SCOPES);
				values = m.values(AutomaticOptions.SEGMENTATION, NOT_HERE);
				addRois = m.flag("add_rois");
				labels = m.flag("label_image");
				table = m.flag("results_table");
				model = m.model(ModelSettings.fromPrefs());
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addChoice("scope", SCOPES, "current_plane");
				Option mode = AutomaticOptions.SEGMENTATION.get(AutomaticOptions.MODE);
				gd.addChoice("mode (auto = the model's)", mode.choices().toArray(new String[0]), mode.defaultValue());
				Option preset = AutomaticOptions.SEGMENTATION.get(AutomaticOptions.PRESET);
				gd.addChoice("preset (auto = the model's)", preset.choices().toArray(new String[0]), preset.defaultValue());
				for (String key : DIALOG_NUMBERS)
					gd.addNumericField(key + " (NaN = the preset's)", Double.NaN, key.equals("points_per_side") || key
						.startsWith("min_") ? 0 : 2);
				gd.addCheckbox("add_rois to the ROI Manager", true);
				gd.addCheckbox("label_image", true);
				gd.addCheckbox("results_table", true);
				gd.showDialog();
				if (gd.wasCanceled()) return;
				scope = gd.getNextChoice();
				Map<String, String> given = new LinkedHashMap<>();
				given.put(AutomaticOptions.MODE, gd.getNextChoice());
				given.put(AutomaticOptions.PRESET, gd.getNextChoice());
				for (String key : DIALOG_NUMBERS)
					given.put(key, Double.toString(gd.getNextNumber()));
				values = AutomaticOptions.SEGMENTATION.values(given);
				addRois = gd.getNextBoolean();
				labels = gd.getNextBoolean();
				table = gd.getNextBoolean();
				model = ModelSettings.fromPrefs();
			}
			AutomaticSettings settings = AutomaticSettings.of(values);
			SamPredictor predictor = ModelRegistry.shared().predictor(model);
			AmgPlaneSegmentation amg = AmgPlaneSegmentation.of(settings, predictor.spec());
			// Each plane's masks go into the outputs at once: a long stack's masks are never all held.
			ResultsPublisher.Builder results = new ResultsPublisher.Builder(imp, 1);
			int z0 = imp.getZ(), z1 = imp.getZ(), t0 = imp.getT(), t1 = imp.getT();
			if (scope.equals("all_slices")) { z0 = 1; z1 = imp.getNSlices(); }
			if (scope.equals("all_frames")) { t0 = 1; t1 = imp.getNFrames(); }
			int n = (z1 - z0 + 1) * (t1 - t0 + 1), i = 0;
			for (int t = t0; t <= t1; t++)
				for (int z = z0; z <= z1; z++) {
					IJ.showStatus(TITLE + ": plane " + (++i) + "/" + n);
					results.add(amg.segmentPlane(predictor, imp, z, t, (f, msg) -> IJ.showProgress(f)));
				}
			if (results.count() == 0) IJ.log(noObjectHint(amg.parameters(), n));
			ResultsPublisher.Outputs out = results.build();
			if (addRois) ResultsPublisher.addToManager(imp, out.rois);
			if (table) out.table.show("SAM results");
			if (labels) out.labels.show();
		}
		catch (SamException | IllegalArgumentException e) {
			UserErrors.report(TITLE, e.getMessage());
		}
		catch (RuntimeException | OutOfMemoryError e) {
			UserErrors.reportUnexpected(TITLE, e);
		}
		finally {
			IJ.showProgress(1.0);
		}
	}

	/**
	 * An empty result is right for an empty image, but more often the thresholds were too strict
	 * for the model and the objects (small or faint ones score low): say which, and what to try.
	 */
	static String noObjectHint(AmgParameters a, int planes) {
		AmgParameters r = a.relaxed();
		return String.format(Locale.ROOT, "%s: no object on %d plane%s with pred_iou_thresh %s, " +
			"stability_score_thresh %s, min_object_size %d. If the image has objects, try lower values, e.g. " +
			"pred_iou_thresh=%s stability_score_thresh=%s min_object_size=0%s.", TITLE, planes, planes == 1 ? "" : "s", a
				.predIouThresh(), a.stabilityScoreThresh(), a.minObjectSize(), r.predIouThresh(), r.stabilityScoreThresh(),
			a.multimaskOutput() ? "" : ", with multimask_output=1 (SAM's three masks per point, more candidates for " +
				"small objects)");
	}
}
