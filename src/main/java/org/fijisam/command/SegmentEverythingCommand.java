package org.fijisam.command;

import java.io.File;
import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.ij.AutomaticParameters;
import org.fijisam.ij.AutomaticSegmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ResultsPublisher;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Headless twin of "Segment Everything": every plane of an image file, files out. */
@Plugin(type = Command.class, headless = true, label = "Segment Everything (files)",
	menuPath = "Plugins>Segment Anything>Scripting>Segment Everything (files)")
public class SegmentEverythingCommand extends ContextCommand {

	@Parameter(label = "Image file", persist = false)
	private File image;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	private File output;

	@Parameter(label = "Preset", choices = { "default", "microscopy" }, required = false)
	private String preset = "microscopy";

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
		try {
			ModelSettings settings = CommandSupport.model(model, provider, threads); // wrong threads: before any work
			AutomaticParameters p = new AutomaticParameters();
			p.preset = AutomaticParameters.preset(preset);
			AutomaticSegmentation amg = AutomaticSegmentation.forParameters(p);
			ImagePlus imp = ImageFiles.open(image.toPath());
			ResultsPublisher.checkOutputs(output.toPath(), imp.getShortTitle(), List.of(image.toPath()));
			SamPredictor predictor = ModelRegistry.shared().predictor(settings);
			ProgressListener progress = CommandSupport.progress(status, "Segment Everything");
			// Each plane's masks go into the outputs at once: a long stack's masks are never all held.
			ResultsPublisher.Builder results = new ResultsPublisher.Builder(imp, 1);
			for (int t = 1; t <= imp.getNFrames(); t++)
				for (int z = 1; z <= imp.getNSlices(); z++) {
					if (isCanceled()) return;
					results.add(amg.segmentPlane(predictor, imp, z, t, progress));
				}
			ResultsPublisher.Outputs out = results.build();
			CommandSupport.write(out, output.toPath(), imp.getShortTitle());
			masks = results.count();
		}
		catch (SamException | IllegalArgumentException e) {
			log.error("Segment Everything: " + e.getMessage());
			cancel(e.getMessage());
		}
	}
}
