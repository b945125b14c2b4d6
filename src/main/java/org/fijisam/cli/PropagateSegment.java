package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ij.ImagePlus;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.FileProblems;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.propagation.Direction;
import org.fijisam.core.propagation.ObjectPropagator;
import org.fijisam.core.propagation.PropagatedObject;
import org.fijisam.core.propagation.PropagationResult;
import org.fijisam.core.propagation.PropagationRules;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.LabelImages;
import org.fijisam.ij.ObjectResult;
import org.fijisam.ij.PromptedPropagation;

/**
 * {@code segment --propagate z|t}: objects prompted on one plane of a stack or movie, carried
 * through the other planes ({@link ObjectPropagator}) and written as one label stack in which
 * each object keeps its label.
 */
final class PropagateSegment {

	/** Options only propagation reads. */
	static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("propagate", "object", "min-overlap", "min-iou",
		"min-stability", "max-planes"));

	static final String HELP =
		"  --propagate z|t      carry the object(s) from the --slice (z) or --frame (t) through the stack\n" +
		"  --object X,Y         with --propagate: one object per click, labels 1, 2, ... in order\n" +
		"                       (without --object, the --point/--box prompts make object 1)\n" +
		"  --min-overlap F      stop where an object's mask overlaps its previous plane's less (IoU, default 0.2)\n" +
		"  --min-iou F          stop where the model's predicted IoU is lower (default 0.5)\n" +
		"  --min-stability F    stop where the mask's stability score is lower (default 0.5)\n" +
		"  --max-planes N       at most N planes each way from the start plane\n";

	private PropagateSegment() {}

	/** What --propagate and the rule options ask for, checked before any work. */
	static final class Settings {
		final ImagePlusPlanes.Axis axis;
		final PropagationRules rules;

		Settings(ImagePlusPlanes.Axis axis, PropagationRules rules) {
			this.axis = axis;
			this.rules = rules;
		}
	}

	static Settings settings(CliArgs args) throws CliArgs.UsageException {
		return new Settings(SegmentCommand.parse(() -> ImagePlusPlanes.Axis.parse(args.get("propagate", "z"))), rules(
			args));
	}

	private static PropagationRules rules(CliArgs args) throws CliArgs.UsageException {
		PropagationRules d = PropagationRules.defaults();
		PropagationRules.Builder b = PropagationRules.builder();
		try {
			b.minOverlap(args.getDouble("min-overlap", d.minOverlap()));
			b.minPredictedIou(args.getDouble("min-iou", d.minPredictedIou()));
			b.minStability(args.getDouble("min-stability", d.minStability()));
			b.maxPlanes(args.getInt("max-planes", d.maxPlanes()));
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(e.getMessage());
		}
		return b.build();
	}

	/** One prompt per object: each --object click, else the --point/--box prompt as one object. */
	static List<Prompt> objects(CliArgs args, Prompt pointsAndBox) throws CliArgs.UsageException {
		List<Prompt> prompts = new ArrayList<>();
		for (String o : args.all("object")) {
			double[] v = CliArgs.numbers("object", o, 2, 2);
			prompts.add(Prompt.point(v[0], v[1]));
		}
		if (!prompts.isEmpty() && (!pointsAndBox.points().isEmpty() || pointsAndBox.box() != null))
			throw new CliArgs.UsageException("give either --object clicks (one object each) or --point/--box " +
				"prompts (one object), not both");
		if (prompts.isEmpty()) prompts.add(pointsAndBox);
		return prompts;
	}

	static void run(CliArgs args, Settings settings, ImagePlus imp, List<Prompt> prompts, MaskSelection selection,
		Normalization normalization, ChannelMapping channels, Path labelsPath, PrintStream out, PrintStream err)
		throws Exception
	{
		int slice = args.getInt("slice", 1), frame = args.getInt("frame", 1);
		PromptedPropagation.checkPlanes(imp, settings.axis, CLI_SPELLING);
		List<String> names = new ArrayList<>();
		for (int i = 1; i <= prompts.size(); i++)
			names.add("object " + i);
		try (SamModel model = ModelOptions.load(args, out)) {
			SamPredictor predictor = ModelOptions.predictor(model, args);
			TerminalProgress bar = new TerminalProgress(err, "propagating");
			long t0 = System.nanoTime();
			PromptedPropagation.Result result = new PromptedPropagation(predictor).channels(channels).normalization(
				normalization).selection(selection).rules(settings.rules).progress(bar).run(imp, settings.axis, slice,
					frame, names, e -> prompts, CLI_SPELLING);
			bar.finish();
			double seconds = (System.nanoTime() - t0) / 1e9;
			PropagationResult r = result.propagation();
			for (PropagatedObject o : r.objects())
				out.printf(Locale.ROOT, "object %d: planes %d..%d; backward %s; forward %s%n", o.label(), o.firstPlane() +
					1, o.lastPlane() + 1, o.stop(Direction.BACKWARD).message(), o.stop(Direction.FORWARD).message());
			ImagePlus labels = LabelImages.create(imp, imp.getShortTitle() + "_labels");
			List<List<ObjectResult>> objects = result.objects();
			for (int i = 0; i < objects.size(); i++)
				for (ObjectResult m : objects.get(i))
					LabelImages.paint(labels, m.slice(), m.frame(), m.mask(), i + 1);
			FileProblems.attempt("write the label stack", labelsPath, () -> ImageFiles.saveTiff(labels, labelsPath));
			out.println("wrote " + labelsPath + " (" + objects.size() + " object" + (objects.size() == 1 ? "" : "s") +
				" through " + r.planes() + " planes)");
			out.printf(Locale.ROOT, "propagation: %.2f s; timings: %s%n", seconds, predictor.timings());
		}
	}

	/** Options as the command line spells them, for the shared messages. */
	private static final PromptedPropagation.Spelling CLI_SPELLING = new PromptedPropagation.Spelling() {
		@Override
		public String of(String key, String value) { return "--" + key + " " + value; }

		@Override
		public String noPropagation() { return "segment without --propagate"; }
	};
}
