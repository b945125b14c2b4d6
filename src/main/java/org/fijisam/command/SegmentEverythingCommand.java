package org.fijisam.command;

import java.io.File;
import java.util.List;

import org.fijisam.batch.BatchRun;
import org.fijisam.batch.BatchSummary;
import org.fijisam.core.SamException;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.AutomaticSettings;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Headless twin of "Segment Everything": every plane of an image file, files out: the same run
 * as {@code sam-cli auto IMAGE} (NAME_labels.tif, NAME_objects.csv, optional COCO and ROI set).
 */
@Plugin(type = Command.class, headless = true, label = "Segment Everything (files)",
	menuPath = "Plugins>Segment Anything>Scripting>Segment Everything (files)")
public class SegmentEverythingCommand extends ContextCommand {

	@Parameter(label = "Image file", persist = false)
	private File image;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	private File output;

	@Parameter(label = "Preset (auto = the model's)", choices = { "auto", "sam_default", "microscopy",
		"sam2_default" }, required = false)
	private String preset = "auto";

	@Parameter(label = "Mode (auto = the model's: ais with an instance decoder, else amg)", choices = { "auto", "amg",
		"ais", "apg" }, required = false)
	private String mode = "auto";

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

	@Parameter(label = "Link objects through z/t (stacks)", required = false)
	private boolean link;

	@Parameter(label = "Also write a ROI set", required = false)
	private boolean rois;

	@Parameter(label = "Also write COCO JSON", required = false)
	private boolean coco;

	@Parameter(label = "Redo a finished image", required = false)
	private boolean overwrite;

	@Parameter(label = "Model folder (empty = built-in)", style = "directory", required = false, persist = false)
	private File model;

	@Parameter(label = "Provider", choices = { "cpu", "cuda", "auto" }, required = false)
	private String provider = "cpu";

	@Parameter(label = "Threads (0 = all cores)", required = false, min = "0")
	private int threads = 0;

	@Parameter(type = ItemIO.OUTPUT)
	private int masks;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		String title = "Segment Everything";
		try {
			ModelSettings settings = CommandSupport.model(model, provider, threads); // wrong threads: before any work
			AutomaticSettings options = AutomaticSettings.of(CommandSupport.values(this, AutomaticOptions.FILES));
			BatchSummary s = new BatchRun(options, CommandSupport.listener(log, status, title)).runAll(List.of(image
				.toPath()), output.toPath(), () -> ModelRegistry.shared().predictor(settings), this::isCanceled);
			masks = s.rows().stream().mapToInt(r -> r.objects).sum();
		}
		catch (SamException | IllegalArgumentException e) {
			log.error(title + ": " + e.getMessage());
			cancel(e.getMessage());
		}
	}
}
