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

import org.fijisam.core.BinaryMask;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.FileProblems;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.propagation.Direction;
import org.fijisam.core.propagation.ObjectPropagator;
import org.fijisam.core.propagation.PropagatedObject;
import org.fijisam.core.propagation.PropagationResult;
import org.fijisam.core.propagation.PropagationRules;
import org.fijisam.core.propagation.StartObject;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.LabelImages;

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
		ImagePlusPlanes.Axis axis = settings.axis;
		int slice = args.getInt("slice", 1), frame = args.getInt("frame", 1);
		int planes = axis == ImagePlusPlanes.Axis.Z ? imp.getNSlices() : imp.getNFrames();
		if (planes < 2) throw new SamException("The image has " + imp.getNSlices() + " slice(s) and " + imp
			.getNFrames() + " frame(s): there is nothing to propagate through along " + axis.name().toLowerCase(
				Locale.ROOT) + (axis == ImagePlusPlanes.Axis.Z && imp.getNFrames() > 1 ? "; use --propagate t" :
					axis == ImagePlusPlanes.Axis.T && imp.getNSlices() > 1 ? "; use --propagate z" : "") + ".");
		int start = (axis == ImagePlusPlanes.Axis.Z ? slice : frame) - 1;
		try (SamModel model = ModelOptions.load(args, out)) {
			SamPredictor predictor = ModelOptions.predictor(model, args);
			ImagePlusPlanes source = ImagePlusPlanes.along(imp, axis, slice, frame, channels, normalization.forModel(
				model.spec()), null);
			if (start < 0 || start >= source.size()) throw new SamException("The start " + (axis ==
				ImagePlusPlanes.Axis.Z ? "--slice " : "--frame ") + (start + 1) + " is outside the image, which has " +
				source.size() + " along " + axis.name().toLowerCase(Locale.ROOT) + ".");
			ImageEmbedding embedding = predictor.embed(source.plane(start));
			List<StartObject> objects = new ArrayList<>();
			for (int i = 0; i < prompts.size(); i++)
				objects.add(StartObject.of(i + 1, predictor.segment(embedding, prompts.get(i), selection)));
			TerminalProgress bar = new TerminalProgress(err, "propagating");
			long t0 = System.nanoTime();
			PropagationResult result = new ObjectPropagator(predictor, settings.rules).propagate(source, start, objects, bar,
				null);
			bar.finish();
			double seconds = (System.nanoTime() - t0) / 1e9;
			for (PropagatedObject o : result.objects())
				out.printf(Locale.ROOT, "object %d: planes %d..%d; backward %s; forward %s%n", o.label(), o.firstPlane() +
					1, o.lastPlane() + 1, o.stop(Direction.BACKWARD).message(), o.stop(Direction.FORWARD).message());
			ImagePlus labels = LabelImages.create(imp, imp.getShortTitle() + "_labels");
			for (PropagatedObject o : result.objects())
				for (java.util.Map.Entry<Integer, BinaryMask> e : o.masks().entrySet())
					LabelImages.paint(labels, source.slice(e.getKey()), source.frame(e.getKey()), e.getValue(), o.label());
			FileProblems.attempt("write the label stack", labelsPath, () -> ImageFiles.saveTiff(labels, labelsPath));
			out.println("wrote " + labelsPath + " (" + result.objects().size() + " object" + (result.objects()
				.size() == 1 ? "" : "s") + " through " + source.size() + " planes)");
			out.printf(Locale.ROOT, "propagation: %.2f s; timings: %s%n", seconds, predictor.timings());
		}
	}
}
