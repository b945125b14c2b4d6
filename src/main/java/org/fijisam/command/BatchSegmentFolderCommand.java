package org.fijisam.command;

import java.io.File;
import java.nio.file.Path;

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
import org.fijisam.options.OptionValues;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Headless twin of "Batch Segment Folder": everything mode is the same run as {@code sam-cli
 * auto}; parameters named like options of {@link AutomaticOptions#FILES} have their key,
 * default and choices (a test holds them to the table).
 */
@Plugin(type = Command.class, headless = true, label = "Batch Segment Folder (files)",
	menuPath = "Plugins>Segment Anything>Scripting>Batch Segment Folder (files)")
public class BatchSegmentFolderCommand extends ContextCommand {

	@Parameter(label = "Input folder", style = "directory", persist = false)
	private File input;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	private File output;

	/** roi_files, or segment everything in the model's mode (everything) or in mode amg / ais / apg. */
	@Parameter(label = "Mode", choices = { "roi_files", "everything", "amg", "ais", "apg" }, required = false)
	private String mode = "roi_files";

	@Parameter(label = "Preset (everything mode; auto = the model's)", choices = { "auto", "sam_default",
		"microscopy", "sam2_default" }, required = false)
	private String preset = "auto";

	@Parameter(label = "Points per side (empty = the preset's)", required = false, persist = false)
	private String points_per_side = "";

	@Parameter(label = "Predicted IoU threshold (empty = the preset's)", required = false, persist = false)
	private String pred_iou_thresh = "";

	@Parameter(label = "Stability score threshold (empty = the preset's)", required = false, persist = false)
	private String stability_score_thresh = "";

	@Parameter(label = "Minimum object size (px; empty = the preset's)", required = false, persist = false)
	private String min_object_size = "";

	@Parameter(label = "Refine each mask once more (use_m2m, SAM 2's; one more decoder run per mask)",
		required = false)
	private boolean use_m2m;

	@Parameter(label = "Also write a ROI set per image", required = false)
	private boolean rois;

	@Parameter(label = "Also write COCO JSON per image", required = false)
	private boolean coco;

	@Parameter(label = "Redo finished images", required = false)
	private boolean overwrite;

	@Parameter(label = "Model folder (empty = built-in)", style = "directory", required = false, persist = false)
	private File model;

	@Parameter(label = "Provider", choices = { "cpu", "cuda", "auto" }, required = false)
	private String provider = "cpu";

	@Parameter(label = "Threads (0 = all cores)", required = false, min = "0")
	private int threads = 0;

	@Parameter(label = "Area ROIs as (roi_files mode)", choices = { "box", "mask" }, required = false)
	private String area_rois = "box";

	@Parameter(label = "Multimask output (roi_files mode)", choices = { "auto", "single", "best_score", "largest",
		"smallest", "all" }, required = false)
	private String multimask = "auto";

	@Parameter(label = "Channels (R,G,B, 1-based; empty = default)", required = false)
	private String channels = "";

	@Parameter(label = "Normalize", required = false)
	private String normalize = "auto";

	@Parameter(type = ItemIO.OUTPUT)
	private int images;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		String title = "Batch Segment Folder";
		try {
			ModelSettings settings = CommandSupport.model(model, provider, threads); // wrong threads: before any work
			OptionValues values = CommandSupport.values(this, AutomaticOptions.FILES, AutomaticOptions.MODE);
			if ("amg".equals(mode) || "ais".equals(mode) || "apg".equals(mode)) {
				java.util.Map<String, String> withMode = new java.util.LinkedHashMap<>(values.given());
				withMode.put(AutomaticOptions.MODE, mode);
				values = AutomaticOptions.FILES.values(withMode);
			}
			AutomaticSettings options = AutomaticSettings.of(values);
			if (!"roi_files".equals(mode)) {
				BatchSummary s = new BatchRun(options, CommandSupport.listener(log, status, title)).runAll(BatchInputs
					.list(input.toPath()), output.toPath(), () -> ModelRegistry.shared().predictor(settings), this::isCanceled);
				images = s.count(BatchSummary.SEGMENTED);
			}
			else images = new FolderBatch(ModelRegistry.shared().predictor(settings)).areaMode(RoiPrompts.AreaMode.parse(
				area_rois)).selection(MaskSelection.parse(multimask)).channels(options.channels()).normalization(options
					.normalization()).log(line -> log.info(title + ": " + line)).progress(CommandSupport.progress(status,
						title)).cancellation(this::isCanceled).run(input.toPath(), output.toPath());
			log.info(title + ": " + images + " image(s) segmented into " + output);
		}
		catch (SamException | IllegalArgumentException e) {
			log.error(title + ": " + e.getMessage());
			cancel(e.getMessage());
		}
	}

}
