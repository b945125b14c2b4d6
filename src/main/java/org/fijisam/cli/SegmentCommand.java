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
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.ij.MaskImages;

/** {@code segment}: one object from point and box prompts, written as a label image. */
final class SegmentCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("point", "box", "output", "overlay",
		"mask", "normalize", "channels", "slice", "frame"));

	@Override
	public String name() { return "segment"; }

	@Override
	public String summary() { return "segment one object from point/box prompts"; }

	@Override
	public String help() {
		return "usage: sam-cli segment IMAGE [--point X,Y[,LABEL]]... [--box X0,Y0,X1,Y1] --output LABELS.tif\n" +
			"                      [--propagate z|t [--object X,Y]... [--slice Z | --frame T]]\n" +
			"                      [--overlay OVERLAY.png] [--model DIR] [options]\n" +
			"Segments one object in a TIFF/PNG/JPEG image. Coordinates are pixels (x right, y down).\n" +
			"  --point X,Y[,LABEL]  a prompt point; LABEL 1 = foreground (default), 0 = background\n" +
			"  --box X0,Y0,X1,Y1    a box prompt (top-left, bottom-right)\n" +
			"  --output FILE        label image to write (TIFF): 1 = object, 0 = background\n" +
			"  --overlay FILE       also write a PNG of the image with the mask drawn on it\n" +
			"  --mask M             auto (default), single, best_score, largest, smallest, all\n" +
			"  --normalize N        auto (default: as the model expects), minmax, percentile:LOW,HIGH, fixed:MIN,MAX\n" +
			"  --channels R,G,B     1-based channels feeding R, G, B (0 = black); one number for grey\n" +
			"  --slice Z --frame T  the plane of a stack to segment (1-based, default 1)\n" + PropagateSegment.HELP +
			ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(PropagateSegment.OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		CliArgs args = new CliArgs(argv, 1, valueOptions, new HashSet<>());
		if (args.positional().size() != 1) throw new CliArgs.UsageException("give exactly one IMAGE");
		String output = args.get("output", null);
		if (output == null) throw new CliArgs.UsageException("--output LABELS.tif is required");
		Prompt prompt = prompt(args);
		MaskSelection selection = parse(() -> MaskSelection.parse(args.get("mask", "auto")));
		Normalization normalization = parse(() -> Normalization.parse(args.get("normalize", "auto")));
		ChannelMapping channels = args.get("channels", null) == null ? null : parse(() -> ChannelMapping
			.parseOneBased(args.get("channels", null)));

		boolean propagate = args.get("propagate", null) != null;
		PropagateSegment.Settings propagation = propagate ? PropagateSegment.settings(args) : null;
		if (!propagate && !args.all("object").isEmpty()) throw new CliArgs.UsageException(
			"--object needs --propagate z|t");
		if (propagate && args.get("overlay", null) != null) throw new CliArgs.UsageException(
			"--overlay draws one plane; it does not go with --propagate");

		// Where the results go is settled before any work: never over the input, never both on one path.
		Path input = Path.of(args.positional().get(0)), labelsPath = Path.of(output);
		Path overlayPath = args.get("overlay", null) == null ? null : Path.of(args.get("overlay", null));
		OutputGuard guard = new OutputGuard(List.of(input));
		guard.claim(labelsPath, "label image (--output)");
		if (overlayPath != null) guard.claim(overlayPath, "overlay (--overlay)");
		ImagePlus imp = ImageFiles.open(input);
		if (propagate) {
			PropagateSegment.run(args, propagation, imp, PropagateSegment.objects(args, prompt), selection,
				normalization, channels, labelsPath, out, err);
			return 0;
		}
		try (SamModel model = ModelOptions.load(args, out)) {
			SamPredictor predictor = ModelOptions.predictor(model, args);
			// "auto" means what the model expects, so the image is converted once the model is known.
			SamImage image = ImagePlusAdapter.toSamImage(imp, args.getInt("slice", 1), args.getInt("frame", 1),
				channels, normalization.forModel(model.spec()));
			ImageEmbedding embedding = predictor.embed(image);
			Segmentation seg = predictor.segment(embedding, prompt, selection);
			long t0 = System.nanoTime();
			List<BinaryMask> masks = seg.selectedMasks();
			double postMs = (System.nanoTime() - t0) / 1e6;
			for (MaskCandidate c : seg.selected())
				out.printf(Locale.ROOT, "mask token %d: predicted IoU %.3f, stability %.3f%n", c.token(),
					c.predictedIou(), c.stability());
			ImagePlus labels = MaskImages.labels(imp.getShortTitle() + "_labels", imp.getWidth(), imp.getHeight(), masks);
			FileProblems.attempt("write the label image", labelsPath, () -> ImageFiles.saveTiff(labels, labelsPath));
			out.println("wrote " + output + " (" + masks.get(0).area() + " foreground pixels)");
			if (overlayPath != null) {
				ImagePlus overlay = MaskImages.overlay(imp, masks);
				FileProblems.attempt("write the overlay", overlayPath, () -> ImageFiles.savePng(overlay, overlayPath));
				out.println("wrote " + overlayPath);
			}
			out.printf(Locale.ROOT, "timings: %s, upsampling %.1f ms%n", predictor.timings(), postMs);
		}
		return 0;
	}

	private static Prompt prompt(CliArgs args) throws CliArgs.UsageException {
		Prompt.Builder b = Prompt.builder();
		for (String p : args.all("point")) {
			double[] v = CliArgs.numbers("point", p, 2, 3);
			if (v.length == 3 && v[2] != 0 && v[2] != 1) throw new CliArgs.UsageException("--point " + p +
				": LABEL must be 1 (foreground) or 0 (background)");
			b.point(v[0], v[1], v.length < 3 || v[2] == 1);
		}
		List<String> boxes = args.all("box");
		if (boxes.size() > 1) throw new CliArgs.UsageException("give at most one --box (SAM takes one box per object)");
		if (!boxes.isEmpty()) {
			double[] v = CliArgs.numbers("box", boxes.get(0), 4, 4);
			b.box(v[0], v[1], v[2], v[3]);
		}
		return b.build();
	}

	interface Parser<T> {
		T get();
	}

	static <T> T parse(Parser<T> p) throws CliArgs.UsageException {
		try {
			return p.get();
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(e.getMessage());
		}
	}

}
