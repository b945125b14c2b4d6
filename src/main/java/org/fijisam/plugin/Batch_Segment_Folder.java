package org.fijisam.plugin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.fijisam.batch.BatchInputs;
import org.fijisam.batch.BatchRun;
import org.fijisam.batch.BatchSummary;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.SamException;
import org.fijisam.ij.FolderBatch;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.RoiPrompts;
import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.AutomaticSettings;
import org.fijisam.options.Option;
import org.fijisam.options.OptionValues;

/**
 * Plugins > Segment Anything > Batch Segment Folder: no windows, no ROI Manager, so it also
 * runs in headless macros. Macro keys: input, output, mode (roi_files, everything, amg, ais, apg), area_rois,
 * multimask (roi_files), model, provider, threads, and every option of
 * {@link AutomaticOptions#FILES} (everything mode: the same run as {@code sam-cli auto}).
 */
public class Batch_Segment_Folder implements PlugIn {

	static final String TITLE = "Batch Segment Folder";
	/**
	 * roi_files: prompts from ROI sets; everything: segment everything in the model's mode; amg / ais:
	 * segment everything in that mode (this command's "mode" key predates the option table's).
	 */
	static final String[] MODES = { "roi_files", "everything", "amg", "ais", "apg" };
	/** Read by MacroOptions.model (shared by every command), and mode, which is this command's own. */
	static final Set<String> NOT_FROM_TABLE = Set.of(AutomaticOptions.MODEL, AutomaticOptions.PROVIDER,
		AutomaticOptions.THREADS, AutomaticOptions.MODE);

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			String input, output, mode, area, mask;
			OptionValues values;
			ModelSettings model;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				input = m.get("input", "");
				output = m.get("output", "");
				mode = SegmentPromptsOptions.oneOf("mode", m.get("mode", "roi_files"), MODES);
				area = m.get("area_rois", "box");
				mask = m.get("multimask", "auto");
				values = m.values(AutomaticOptions.FILES, NOT_FROM_TABLE);
				model = m.model(ModelSettings.fromPrefs());
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addDirectoryField("input folder", "", 30);
				gd.addDirectoryField("output folder", "", 30);
				gd.addChoice("mode", MODES, "roi_files");
				gd.addChoice("area_rois as", SegmentPromptsOptions.AREAS, "box");
				gd.addChoice("multimask output", SegmentPromptsOptions.MASKS, "auto");
				gd.addStringField("channels (R,G,B, 1-based; empty = default)", "", 10);
				gd.addStringField("normalize", "auto", 10);
				Option preset = AutomaticOptions.FILES.get(AutomaticOptions.PRESET);
				gd.addChoice("preset (everything mode; auto = the model's)", preset.choices().toArray(new String[0]),
					preset.defaultValue());
				gd.addCheckbox("rois (everything mode: NAME_rois.zip too)", false);
				gd.addCheckbox("overwrite finished images", false);
				gd.addMessage("Prompts: NAME.zip or NAME.roi next to each image (ROI Manager > More > Save).");
				gd.showDialog();
				if (gd.wasCanceled()) return;
				input = gd.getNextString();
				output = gd.getNextString();
				mode = gd.getNextChoice();
				area = gd.getNextChoice();
				mask = gd.getNextChoice();
				Map<String, String> given = new LinkedHashMap<>();
				given.put(AutomaticOptions.CHANNELS, gd.getNextString());
				given.put(AutomaticOptions.NORMALIZE, gd.getNextString());
				given.put(AutomaticOptions.PRESET, gd.getNextChoice());
				given.put(AutomaticOptions.ROIS, Boolean.toString(gd.getNextBoolean()));
				given.put(AutomaticOptions.OVERWRITE, Boolean.toString(gd.getNextBoolean()));
				values = AutomaticOptions.FILES.values(given);
				model = ModelSettings.fromPrefs();
			}
			if (input.trim().isEmpty() || output.trim().isEmpty()) throw new IllegalArgumentException(
				"Give both an input folder and an output folder (input=... output=...).");
			if (mode.equals("amg") || mode.equals("ais") || mode.equals("apg")) {
				Map<String, String> withMode = new LinkedHashMap<>(values.given());
				withMode.put(AutomaticOptions.MODE, mode);
				values = AutomaticOptions.FILES.values(withMode);
			}
			AutomaticSettings settings = AutomaticSettings.of(values);
			Path in = Path.of(input.trim()), out = Path.of(output.trim());
			if (!mode.equals("roi_files")) {
				BatchSummary s = new BatchRun(settings, logListener()).runAll(BatchInputs.list(input.trim()), out,
					() -> ModelRegistry.shared().predictor(model), null);
				IJ.log(TITLE + ": " + s.count(BatchSummary.SEGMENTED) + " image(s) segmented, " + s.count(
					BatchSummary.SKIPPED) + " already done, into " + output);
				return;
			}
			FolderBatch batch = new FolderBatch(ModelRegistry.shared().predictor(model)).areaMode(RoiPrompts.AreaMode
				.parse(area)).selection(MaskSelection.parse(mask)).channels(settings.channels()).normalization(
					settings.normalization()).log(line -> IJ.log(TITLE + ": " + line)).progress((f, msg) -> {
						IJ.showProgress(f);
						IJ.showStatus(TITLE + ": " + msg);
					});
			int n = batch.run(in, out);
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

	/** The run's lines in the Log window, its progress in the status bar. */
	static BatchRun.Listener logListener() {
		return BatchRun.Listener.of(line -> IJ.log(TITLE + ": " + line), line -> IJ.log(TITLE + ": " + line),
			label -> (f, msg) -> {
				IJ.showProgress(f);
				IJ.showStatus(TITLE + ": " + label + (msg.isEmpty() ? "" : ": " + msg));
			});
	}
}
