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
import org.fijisam.core.propagation.PropagationRules;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ObjectPrompt;
import org.fijisam.ij.ObjectResult;
import org.fijisam.ij.PromptedPropagation;
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
 * With {@code propagate='z'} (or 't') the prompts of one plane are carried through the stack:
 * NAME-labels.tif is then a label stack with one label per object on every plane.
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

	// Not remembered: a later call that does not name it must not propagate because an earlier one did.
	@Parameter(label = "Propagate through (z = slices, t = frames)", choices = { "none", "z", "t" },
		required = false, persist = false)
	private String propagate = "none";

	@Parameter(label = "Min overlap with the previous plane (IoU)", required = false, min = "0", max = "1",
		persist = false)
	private double min_overlap = PropagationRules.defaults().minOverlap();

	@Parameter(label = "Min IoU predicted by the model", required = false, min = "0", max = "1", persist = false)
	private double min_iou = PropagationRules.defaults().minPredictedIou();

	@Parameter(label = "Min stability", required = false, min = "0", max = "1", persist = false)
	private double min_stability = PropagationRules.defaults().minStability();

	@Parameter(label = "Max planes each way (0 = no limit)", required = false, min = "0", persist = false)
	private int max_planes = 0;

	/** Masks written: one per object, or with propagation one per object and plane. */
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
			ChannelMapping mapping = channels == null || channels.trim().isEmpty() ? null : ChannelMapping
				.parseOneBased(channels);
			ResultsPublisher.Outputs out;
			if (propagate == null || propagate.equals("none")) {
				List<ObjectResult> results = new PromptedSegmentation(ModelRegistry.shared().predictor(settings))
					.channels(mapping).normalization(Normalization.parse(normalize)).selection(MaskSelection.parse(
						multimask)).progress(CommandSupport.progress(status, "Segment with Prompts")).cancellation(
							this::isCanceled).run(imp, objects);
				out = ResultsPublisher.build(imp, results, 1);
				masks = results.size();
			}
			else {
				out = propagate(settings, imp, objects, mapping);
				masks = out.rois.size();
			}
			labels = CommandSupport.write(out, output.toPath(), imp.getShortTitle()).toFile();
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

	/** The prompts of one plane carried through z or t: one label per object on every plane. */
	private ResultsPublisher.Outputs propagate(ModelSettings settings, ImagePlus imp, List<ObjectPrompt> objects,
		ChannelMapping mapping) throws SamException
	{
		ImagePlusPlanes.Axis axis = ImagePlusPlanes.Axis.parse(propagate);
		PropagationRules rules = PromptedPropagation.rules(min_overlap, min_iou, min_stability, max_planes);
		PromptedPropagation.startPlane(imp, axis, objects); // before the model is loaded
		PromptedPropagation.Result r = new PromptedPropagation(ModelRegistry.shared().predictor(settings)).channels(
			mapping).normalization(Normalization.parse(normalize)).selection(MaskSelection.parse(multimask)).rules(
				rules).progress(CommandSupport.progress(status, "Segment with Prompts")).cancellation(this::isCanceled)
			.run(imp, axis, objects);
		for (String line : r.summary())
			log.info("Segment with Prompts: " + line);
		if (r.cancelled()) log.warn("Segment with Prompts: cancelled; the planes done are written");
		ResultsPublisher.Builder b = new ResultsPublisher.Builder(imp, 1);
		for (List<ObjectResult> object : r.objects())
			b.addObject(object);
		return b.build();
	}
}
