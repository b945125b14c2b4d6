package org.fijisam.plugin;

import java.util.Locale;

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
import org.fijisam.ij.AutomaticParameters;
import org.fijisam.ij.AutomaticSegmentation;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ResultsPublisher;

/**
 * Plugins > Segment Anything > Segment Everything: automatic masks on the current plane, all
 * slices or all frames. Macro keys: scope (current_plane, all_slices, all_frames), preset,
 * points_per_side, pred_iou_thresh, stability_thresh, min_size, add_rois, label_image,
 * results_table, model, provider, threads.
 */
public class Segment_Everything implements PlugIn {

	static final String TITLE = "Segment Everything";
	static final String[] SCOPES = { "current_plane", "all_slices", "all_frames" };

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new UnsupportedImageException("No image is open: open an image, then run " +
				TITLE + ".");
			AutomaticParameters p = new AutomaticParameters();
			String scope;
			boolean addRois, labels, table;
			ModelSettings model;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				scope = SegmentPromptsOptions.oneOf("scope", m.get("scope", "current_plane"), SCOPES);
				p.preset = AutomaticParameters.preset(m.get("preset", "default"));
				p.pointsPerSide = m.getInt("points_per_side", 0);
				p.predIouThresh = m.getDouble("pred_iou_thresh", Double.NaN);
				p.stabilityThresh = m.getDouble("stability_thresh", Double.NaN);
				p.minSize = m.getInt("min_size", -1);
				addRois = m.flag("add_rois");
				labels = m.flag("label_image");
				table = m.flag("results_table");
				model = m.model(ModelSettings.fromPrefs());
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addChoice("scope", SCOPES, "current_plane");
				gd.addChoice("preset", AutomaticParameters.PRESETS, "microscopy");
				gd.addNumericField("points_per_side (0 = preset)", 0, 0);
				gd.addNumericField("pred_iou_thresh (empty = preset)", Double.NaN, 2);
				gd.addNumericField("stability_thresh (empty = preset)", Double.NaN, 2);
				gd.addNumericField("min_size (pixels, -1 = preset)", -1, 0);
				gd.addCheckbox("add_rois to the ROI Manager", true);
				gd.addCheckbox("label_image", true);
				gd.addCheckbox("results_table", true);
				gd.showDialog();
				if (gd.wasCanceled()) return;
				scope = gd.getNextChoice();
				p.preset = gd.getNextChoice();
				p.pointsPerSide = (int) gd.getNextNumber();
				p.predIouThresh = gd.getNextNumber();
				p.stabilityThresh = gd.getNextNumber();
				p.minSize = (int) gd.getNextNumber();
				addRois = gd.getNextBoolean();
				labels = gd.getNextBoolean();
				table = gd.getNextBoolean();
				model = ModelSettings.fromPrefs();
			}
			AutomaticSegmentation amg = AutomaticSegmentation.forParameters(p);
			SamPredictor predictor = ModelRegistry.shared().predictor(model);
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
			if (results.count() == 0) IJ.log(noObjectHint(AmgPlaneSegmentation.parameters(p), n));
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
		return String.format(Locale.ROOT, "%s: no object on %d plane%s with pred_iou_thresh %s, stability_thresh %s, " +
			"min_size %d. If the image has objects, try lower values, e.g. pred_iou_thresh=%s stability_thresh=%s " +
			"min_size=0%s.", TITLE, planes, planes == 1 ? "" : "s", a.predIouThresh(), a.stabilityScoreThresh(),
			a.minObjectSize(), r.predIouThresh(), r.stabilityScoreThresh(), a.multimaskOutput() ? ""
				: ", with preset=default (it takes SAM's three masks per point, more candidates for small objects)");
	}
}
