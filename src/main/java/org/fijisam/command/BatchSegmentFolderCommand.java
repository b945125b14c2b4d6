package org.fijisam.command;

import java.io.File;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.ij.AutomaticParameters;
import org.fijisam.ij.AutomaticSegmentation;
import org.fijisam.ij.FolderBatch;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.RoiPrompts;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Headless twin of "Batch Segment Folder" (same {@link FolderBatch} tool). */
@Plugin(type = Command.class, headless = true, label = "Batch Segment Folder (files)",
	menuPath = "Plugins>Segment Anything>Scripting>Batch Segment Folder (files)")
public class BatchSegmentFolderCommand extends ContextCommand {

	@Parameter(label = "Input folder", style = "directory", persist = false)
	private File input;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	private File output;

	@Parameter(label = "Mode", choices = { "roi_files", "everything" }, required = false)
	private String mode = "roi_files";

	@Parameter(label = "Preset (everything mode)", choices = { "default", "microscopy" }, required = false)
	private String preset = "default";

	@Parameter(label = "Model folder (empty = built-in)", style = "directory", required = false, persist = false)
	private File model;

	@Parameter(label = "Provider", choices = { "cpu", "cuda", "auto" }, required = false)
	private String provider = "cpu";

	@Parameter(label = "Threads (0 = all cores)", required = false, min = "0")
	private int threads = 0;

	@Parameter(label = "Area ROIs as", choices = { "box", "mask" }, required = false)
	private String area_rois = "box";

	@Parameter(label = "Multimask output", choices = { "auto", "single", "best_score", "largest", "smallest", "all" },
		required = false)
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
		try {
			AutomaticParameters p = new AutomaticParameters();
			p.preset = AutomaticParameters.preset(preset);
			images = new FolderBatch(ModelRegistry.shared().predictor(CommandSupport.model(model, provider, threads)))
				.mode(FolderBatch.Mode.parse(mode)).areaMode(RoiPrompts.AreaMode.parse(area_rois)).selection(
					MaskSelection.parse(multimask)).channels(channels == null || channels.trim().isEmpty() ? null
						: ChannelMapping.parseOneBased(channels)).normalization(Normalization.parse(normalize))
				.automatic(AutomaticSegmentation.forParameters(p)).log(line -> log.info("Batch Segment Folder: " + line)).progress(CommandSupport.progress(status,
					"Batch Segment Folder")).cancellation(this::isCanceled).run(input.toPath(), output.toPath());
			log.info("Batch Segment Folder: " + images + " image(s) segmented into " + output);
		}
		catch (SamException | IllegalArgumentException e) {
			log.error("Batch Segment Folder: " + e.getMessage());
			cancel(e.getMessage());
		}
	}
}
