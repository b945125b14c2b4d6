package org.fijisam.plugin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;

import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ObjectPrompt;
import org.fijisam.ij.ObjectResult;
import org.fijisam.ij.PromptedSegmentation;
import org.fijisam.ij.ResultsPublisher;
import org.fijisam.ij.RoiPrompts;

/**
 * Plugins > Segment Anything > Segment with Prompts: the current selection or ROI Manager
 * entries as prompts, one object per ROI (or ROI group); masks to the ROI Manager, a label
 * image, the overlay and a results table.
 */
public class Segment_With_Prompts implements PlugIn {

	static final String TITLE = "Segment with Prompts";

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new UnsupportedImageException("No image is open: open an image, mark objects " +
				"with points or boxes, then run " + TITLE + ".");
			SegmentPromptsOptions o = macroOptions != null ? SegmentPromptsOptions.parse(macroOptions, ModelSettings
				.fromPrefs()) : SegmentPromptsOptions.dialog(imp.getRoi() != null, ModelSettings.fromPrefs());
			if (o == null) return;
			List<ObjectPrompt> objects = RoiPrompts.read(imp, rois(imp, o.source), o.areaMode, o.source.equals(
				"selection"));
			if (o.propagate != null) {
				PropagateWithPrompts.run(imp, objects, o);
				return;
			}
			IJ.showStatus(TITLE + ": loading the model...");
			SamPredictor predictor = ModelRegistry.shared().predictor(o.model);
			List<ObjectResult> results = new PromptedSegmentation(predictor).channels(o.channelMapping())
				.normalization(o.normalization()).selection(o.selection).progress((f, msg) -> {
					IJ.showProgress(f);
					if (!msg.isEmpty()) IJ.showStatus(TITLE + ": " + msg);
				}).run(imp, objects);
			publish(imp, results, o);
			IJ.showStatus(TITLE + ": " + results.size() + " mask(s)");
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

	static List<Roi> rois(ImagePlus imp, String source) throws InvalidPromptException {
		if (source.equals("selection")) {
			Roi roi = imp.getRoi();
			if (roi == null) throw new InvalidPromptException("There is no selection on " + imp.getTitle() +
				": draw points or a box, or use prompts=roi_manager.");
			return new ArrayList<>(Arrays.asList(roi));
		}
		RoiManager rm = ResultsPublisher.manager();
		if (rm == null || rm.getCount() == 0) throw new InvalidPromptException("The ROI Manager is empty: " +
			"add point or box selections to it (press t), or use prompts=selection.");
		if (source.equals("selected_rois")) {
			int[] idx = rm.getSelectedIndexes();
			if (idx.length == 0) throw new InvalidPromptException("No ROI Manager entries are selected: select " +
				"some, or use prompts=roi_manager for all of them.");
			List<Roi> out = new ArrayList<>();
			for (int i : idx)
				out.add(rm.getRoi(i));
			return out;
		}
		return new ArrayList<>(Arrays.asList(rm.getRoisAsArray()));
	}

	static void publish(ImagePlus imp, List<ObjectResult> results, SegmentPromptsOptions o) {
		publish(imp, ResultsPublisher.build(imp, results, 1), o);
	}

	static void publish(ImagePlus imp, ResultsPublisher.Outputs out, SegmentPromptsOptions o) {
		if (o.addRois) ResultsPublisher.addToManager(imp, out.rois);
		if (o.overlay) ResultsPublisher.addOverlay(imp, out.rois);
		if (o.table) out.table.show("SAM results");
		if (o.labelImage) out.labels.show();
	}
}
