package org.fijisam.plugin;

import java.nio.file.Path;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.ij.AutomaticParameters;
import org.fijisam.ij.AutomaticSegmentation;
import org.fijisam.ij.FolderBatch;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.RoiPrompts;

/**
 * Plugins > Segment Anything > Batch Segment Folder: no windows, no ROI Manager, so it also
 * runs in headless macros. Macro keys: input, output, mode (roi_files, everything), area_rois,
 * multimask, channels, normalize, preset, model, provider, threads.
 */
public class Batch_Segment_Folder implements PlugIn {

	static final String TITLE = "Batch Segment Folder";

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			String input, output, mode, area, mask, channels, normalize, preset;
			ModelSettings model;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				input = m.get("input", "");
				output = m.get("output", "");
				mode = m.get("mode", "roi_files");
				area = m.get("area_rois", "box");
				mask = m.get("multimask", "auto");
				channels = m.get("channels", "");
				normalize = m.get("normalize", "auto");
				preset = m.get("preset", "default");
				model = m.model(ModelSettings.fromPrefs());
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addDirectoryField("input folder", "", 30);
				gd.addDirectoryField("output folder", "", 30);
				gd.addChoice("mode", new String[] { "roi_files", "everything" }, "roi_files");
				gd.addChoice("area_rois as", SegmentPromptsOptions.AREAS, "box");
				gd.addChoice("multimask output", SegmentPromptsOptions.MASKS, "auto");
				gd.addStringField("channels (R,G,B, 1-based; empty = default)", "", 10);
				gd.addStringField("normalize", "auto", 10);
				gd.addChoice("preset (everything mode)", AutomaticParameters.PRESETS, "microscopy");
				gd.addMessage("Prompts: NAME.zip or NAME.roi next to each image (ROI Manager > More > Save).");
				gd.showDialog();
				if (gd.wasCanceled()) return;
				input = gd.getNextString();
				output = gd.getNextString();
				mode = gd.getNextChoice();
				area = gd.getNextChoice();
				mask = gd.getNextChoice();
				channels = gd.getNextString();
				normalize = gd.getNextString();
				preset = gd.getNextChoice();
				model = ModelSettings.fromPrefs();
			}
			if (input.trim().isEmpty() || output.trim().isEmpty()) throw new IllegalArgumentException(
				"Give both an input folder and an output folder (input=... output=...).");
			AutomaticParameters p = new AutomaticParameters();
			p.preset = AutomaticParameters.preset(preset);
			FolderBatch batch = new FolderBatch(ModelRegistry.shared().predictor(model)).mode(FolderBatch.Mode
				.parse(mode)).areaMode(RoiPrompts.AreaMode.parse(area)).selection(MaskSelection.parse(mask))
				.channels(channels.trim().isEmpty() ? null : ChannelMapping.parseOneBased(channels)).normalization(
					Normalization.parse(normalize)).automatic(AutomaticSegmentation.forParameters(p)).log(line -> IJ.log(TITLE + ": " + line)).progress((f,
						msg) -> {
						IJ.showProgress(f);
						IJ.showStatus(TITLE + ": " + msg);
					});
			int n = batch.run(Path.of(input.trim()), Path.of(output.trim()));
			IJ.log(TITLE + ": " + n + " image(s) segmented into " + output);
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
}
