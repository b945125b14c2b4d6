package org.fijisam.command;

import java.io.File;
import java.io.IOException;
import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.FileProblems;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ObjectPrompt;
import org.fijisam.ij.ObjectResult;
import org.fijisam.ij.PromptedSegmentation;
import org.fijisam.ij.ResultsPublisher;
import org.fijisam.ij.RoiFiles;
import org.fijisam.ij.RoiPrompts;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Headless twin of "Segment with Prompts": an image file and a ROI set file (.zip/.roi) in;
 * NAME-labels.tif, NAME-results.csv and NAME-rois.zip out. Runs with
 * {@code ImageJ --headless --run "Segment Image with Prompts (files)" "image='a.tif',rois='a.zip',..."}.
 */
@Plugin(type = Command.class, headless = true, label = "Segment Image with Prompts (files)",
	menuPath = "Plugins>Segment Anything>Scripting>Segment Image with Prompts (files)")
public class SegmentImageWithPromptsCommand extends ContextCommand {

	@Parameter(label = "Image file", persist = false)
	private File image;

	@Parameter(label = "ROI set with prompts (.zip or .roi)", persist = false)
	private File rois;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	private File output;

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
	private int masks;

	@Parameter(type = ItemIO.OUTPUT)
	private File labels;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private StatusService status;

	@Override
	public void run() {
		try {
			ModelSettings settings = CommandSupport.model(model, provider, threads); // wrong threads: before any work
			ImagePlus imp = ImageFiles.open(image.toPath());
			ResultsPublisher.checkOutputs(output.toPath(), imp.getShortTitle(), List.of(image.toPath(), rois.toPath()));
			List<ObjectPrompt> objects = RoiPrompts.read(imp, RoiFiles.read(rois.toPath()), RoiPrompts.AreaMode
				.parse(area_rois), false);
			List<ObjectResult> results = new PromptedSegmentation(ModelRegistry.shared().predictor(settings)).channels(channels == null || channels.trim().isEmpty() ? null
					: ChannelMapping.parseOneBased(channels)).normalization(Normalization.parse(normalize)).selection(
						MaskSelection.parse(multimask)).progress(CommandSupport.progress(status, "Segment with Prompts"))
					.cancellation(this::isCanceled).run(imp, objects);
			ResultsPublisher.Outputs out = ResultsPublisher.build(imp, results, 1);
			labels = CommandSupport.write(out, output.toPath(), imp.getShortTitle()).toFile();
			masks = results.size();
			log.info("Segment with Prompts: " + masks + " mask(s) written to " + output);
		}
		catch (SamException | IllegalArgumentException e) {
			log.error("Segment with Prompts: " + e.getMessage());
			cancel(e.getMessage());
		}
		catch (IOException e) {
			// only the ROI set is read outside the plugin's own error handling
			String message = FileProblems.describe("read the ROI set", rois.toPath(), e);
			log.error("Segment with Prompts: " + message);
			cancel(message);
		}
	}
}
