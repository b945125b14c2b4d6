package org.fijisam.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.FileProblems;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.OutputNames;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsafeOutputException;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AmgTimings;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.MemoryEstimate;
import org.fijisam.core.amg.ObjectTableCsv;
import org.fijisam.core.amg.SliceLinker;
import org.fijisam.core.amg.StackAutoSegmenter;
import org.fijisam.core.amg.TiledAutoSegmenter;
import org.fijisam.core.amg.Tiling;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusSlices;
import org.fijisam.ij.SpooledLabelStack;
import org.fijisam.io.CocoJson;
import org.fijisam.io.CompletionRecord;
import org.fijisam.model.ModelSource;

/**
 * {@code auto}: segment everything in an image, a stack or a folder of images. Writes
 * NAME_labels.tif, NAME_objects.csv and optionally NAME_coco.json per image, skips images
 * whose outputs exist (resumable), reports a failing image and goes on with the rest.
 */
final class AutoCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("output", "preset", "tile", "halo",
		"normalize", "channels", "link-iou"));
	private static final Set<String> FLAGS = new HashSet<>(Arrays.asList("coco", "link", "overwrite"));
	static final Set<String> IMAGE_EXTENSIONS = new HashSet<>(Arrays.asList("tif", "tiff", "png", "jpg", "jpeg", "bmp",
		"gif", "pgm"));

	@Override
	public String name() { return "auto"; }

	@Override
	public String summary() { return "segment everything (automatic masks) in images, stacks or a folder"; }

	@Override
	public String help() {
		StringBuilder sb = new StringBuilder(
			"usage: sam-cli auto INPUT --output DIR [--preset P] [--coco] [--tile N --halo N] [--model DIR] [options]\n" +
				"Finds every object in INPUT (an image file, or a folder of images) without prompts and writes\n" +
				"per image: NAME_labels.tif (16-bit labels, 32-bit above 65,535 objects; a label stack for stacks),\n" +
				"NAME_objects.csv (label, area, bbox, centroid, predicted IoU, stability) and with --coco\n" +
				"NAME_coco.json (SA-1B layout, COCO RLE; NAME_sZZZZ_coco.json per plane for stacks).\n" +
				"Images whose outputs are complete are skipped (use --overwrite to redo them): a hidden record\n" +
				".NAME.done.json, written last, holds each output's size and SHA-256. Inputs that share a name\n" +
				"(a.tif, a.png) get outputs named a_tif_*, a_png_*. No output ever replaces an input.\n" +
				"  --output DIR         folder for the results (created if missing)\n" +
				"  --preset P           " + String.join(", ", AmgPresets.names()) + " (default: the model's, sam.json\n" +
				"                       automatic_preset; sam2_default for SAM 2 models, else sam_default)\n" +
				"  --coco               also write COCO RLE JSON\n" +
				"  --tile N --halo N    split planes larger than N px into tiles with N px of context\n" +
				"                       (default: automatic above " + Tiling.AUTO_ABOVE + " px, tile " + Tiling.DEFAULT_TILE +
				", halo " + Tiling.DEFAULT_HALO + "; --tile 0 = never)\n" +
				"  --link               stacks: give an object one label through z/t (overlap matching)\n" +
				"  --link-iou X         minimum IoU between adjacent planes for --link (default " +
				SliceLinker.DEFAULT_MIN_IOU + ")\n" +
				"  --normalize N        auto (default: as the model expects), minmax, percentile:LOW,HIGH, fixed:MIN,MAX; stacks use\n" +
				"                       one range measured over all planes\n" +
				"  --channels R,G,B     1-based channels feeding R, G, B (0 = black); one number for grey\n" +
				"  --overwrite          redo images whose outputs exist\n" +
				"Parameters (override the preset; SAM's names with dashes):\n");
		for (String key : AmgParameters.keys())
			sb.append(String.format(Locale.ROOT, "  --%-32s %s%n", key.replace('_', '-') + " X", AmgParameters.help(key)));
		return sb.append(ModelOptions.HELP).toString();
	}

	/** Settings of one run, parsed before the model is loaded so that typos fail fast. */
	static final class Settings {
		AmgParameters params;
		Tiling tiling;
		Normalization normalization;
		ChannelMapping channels;
		boolean coco, link, overwrite, presetGiven;
		double linkIou;
		Path output;
	}

	static Settings settings(CliArgs args) throws CliArgs.UsageException {
		Settings s = new Settings();
		String out = args.get("output", null);
		if (out == null) throw new CliArgs.UsageException("--output DIR is required");
		s.output = Path.of(out);
		// Parsed now so that a typo fails before any work; without --preset the model's own default
		// preset replaces sam_default once the model is known (parameters).
		s.presetGiven = args.get("preset", null) != null;
		s.params = parameters(args, AmgPresets.SAM_DEFAULT);
		int tile = args.getInt("tile", -1), halo = args.getInt("halo", Tiling.DEFAULT_HALO);
		if (tile == 0) s.tiling = Tiling.none();
		else if (tile > 0) s.tiling = SegmentCommand.parse(() -> Tiling.of(tile, halo));
		else if (args.get("halo", null) != null) s.tiling = SegmentCommand.parse(() -> Tiling.of(Tiling.DEFAULT_TILE,
			halo));
		else s.tiling = Tiling.auto();
		s.normalization = SegmentCommand.parse(() -> Normalization.parse(args.get("normalize", "auto")));
		s.channels = args.get("channels", null) == null ? null : SegmentCommand.parse(() -> ChannelMapping
			.parseOneBased(args.get("channels", null)));
		s.coco = args.flag("coco");
		s.link = args.flag("link");
		s.overwrite = args.flag("overwrite");
		s.linkIou = args.getDouble("link-iou", SliceLinker.DEFAULT_MIN_IOU);
		if (!(s.linkIou > 0 && s.linkIou <= 1)) throw new CliArgs.UsageException("--link-iou must be in (0, 1]");
		return s;
	}

	/** The preset (--preset, else {@code defaultPreset}) with every parameter option applied. */
	static AmgParameters parameters(CliArgs args, String defaultPreset) throws CliArgs.UsageException {
		AmgParameters p = SegmentCommand.parse(() -> AmgPresets.get(args.get("preset", defaultPreset)));
		for (String key : AmgParameters.keys()) {
			String v = args.get(key.replace('_', '-'), null);
			if (v != null) {
				AmgParameters base = p;
				p = SegmentCommand.parse(() -> base.with(key, v));
			}
		}
		return p;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		for (String key : AmgParameters.keys())
			valueOptions.add(key.replace('_', '-'));
		CliArgs args = new CliArgs(argv, 1, valueOptions, FLAGS);
		if (args.positional().size() != 1) throw new CliArgs.UsageException("give exactly one INPUT (image or folder)");
		Settings s = settings(args);
		MemoryProbe.trackLiveHeap();
		Batch batch = Batch.plan(inputs(Path.of(args.positional().get(0))), s.output, s.coco);
		int cleaned = AtomicFiles.removeLeftovers(s.output);
		if (cleaned > 0) out.println("removed " + cleaned + " scratch file" + (cleaned == 1 ? "" : "s") +
			" left in " + s.output + " by an interrupted run");
		List<Path> todo = new ArrayList<>();
		int skipped = 0;
		for (Path p : batch.inputs) {
			// A name the locale cannot spell has no output names: it goes on to fail alone in the loop below.
			if (!s.overwrite && spellable(p) && batch.finished(p)) skipped++;
			else todo.add(p);
		}
		out.println(batch.inputs.size() + " image" + (batch.inputs.size() == 1 ? "" : "s") + ", " + skipped +
			" already done; " + s.tiling);
		if (batch.ownOutputs > 0) out.println("left out " + batch.ownOutputs + " file" + (batch.ownOutputs == 1 ? ""
			: "s") + " of the input folder that an earlier run wrote as outputs");
		for (String r : batch.names.renamed())
			out.println("same name as another input, outputs renamed: " + r);
		int done = 0;
		List<String> failures = new ArrayList<>();
		AmgTimings total = new AmgTimings();
		long start = System.nanoTime();
		if (!todo.isEmpty()) {
			try {
				Files.createDirectories(s.output);
			}
			catch (IOException e) {
				throw FileProblems.error("create the output folder", s.output, e);
			}
			ModelSource source = ModelSource.of(args.get("model", null));
			try (SamModel model = ModelOptions.load(source, args, out)) {
				// No --preset: the model's own default (SAM 2's generator defaults for a SAM 2 model).
				if (!s.presetGiven) s.params = parameters(args, source.descriptor().defaultAutomaticPreset());
				out.println("parameters: " + s.params);
				SamPredictor predictor = ModelOptions.predictor(model, args);
				AutoMaskGenerator generator = new AutoMaskGenerator(predictor, s.params);
				for (int i = 0; i < todo.size(); i++) {
					Path p = todo.get(i);
					String label = "[" + (i + 1) + "/" + todo.size() + "] " + p.getFileName();
					TerminalProgress bar = new TerminalProgress(err, label);
					try {
						ImageOutcome o = process(p, batch, generator, s, bar);
						bar.finish();
						total.add(o.timings);
						out.printf(Locale.ROOT, "%s: %d object%s%s (%.1f s)%n", label, o.objects, o.objects == 1 ? "" : "s",
							o.planes > 1 ? " in " + o.planes + " planes" : "", o.timings.totalMs() / 1000);
						if (o.objects == 0 && o.timings.candidates() > 0) out.println(noObjectHint(s.params, o.timings));
						done++;
					}
					catch (SamException | IOException e) {
						bar.finish();
						String why = e instanceof IOException ? FileProblems.describe("process", p, e) : e.getMessage();
						failures.add(p.getFileName() + ": " + why);
						err.println("failed: " + p.getFileName() + ": " + why);
					}
					catch (RuntimeException e) {
						// A bug must not cost the rest of the batch; say what happened, briefly.
						bar.finish();
						failures.add(p.getFileName() + ": internal error: " + e);
						err.println("failed: " + p.getFileName() + ": internal error: " + e + " (please report it)");
					}
					catch (OutOfMemoryError e) {
						bar.finish();
						failures.add(p.getFileName() + ": out of memory");
						err.println("failed: " + p.getFileName() + ": out of memory. Give Java more with -Xmx, or use " +
							"--tile / a lower --points-per-batch.");
					}
				}
			}
		}
		out.printf(Locale.ROOT, "summary: %d segmented, %d skipped (already done), %d failed, %.1f s%n", done, skipped,
			failures.size(), (System.nanoTime() - start) / 1e9);
		if (!batch.names.renamed().isEmpty()) out.println("  " + batch.names.renamed().size() + " input" + (batch.names
			.renamed().size() == 1 ? "" : "s") + " shared a name with another: their outputs are " + String.join(", ",
				batch.names.renamed()));
		if (done > 0) out.println("time split: " + total);
		// Tells cluster users how much memory to ask for next time.
		long rss = MemoryProbe.peakRssBytes();
		long live = MemoryProbe.peakLiveHeapBytes();
		out.printf(Locale.ROOT, "peak memory: Java heap %s (-Xmx %.0f MB)%s%n", live > 0 ? String.format(Locale.ROOT,
			"%.0f MB in use after collections", live / 1048576.0) : "no collection ran", Runtime.getRuntime()
				.maxMemory() / 1048576.0, rss > 0 ? String.format(Locale.ROOT, ", process %.0f MB", rss / 1048576.0) : "");
		for (String f : failures)
			out.println("  failed: " + f);
		return failures.isEmpty() ? 0 : 1;
	}

	/**
	 * An empty result is right for an empty image, but more often the thresholds were too strict
	 * for the model and the objects (small or faint ones score low): say which, and what to try.
	 */
	static String noObjectHint(AmgParameters p, AmgTimings t) {
		AmgParameters r = p.relaxed();
		return String.format(Locale.ROOT, "  none of the %d decoded masks passed pred_iou_thresh %s, " +
			"stability_score_thresh %s and min_object_size %d; if the image has objects, try lower values, e.g. " +
			"--pred-iou-thresh %s --stability-score-thresh %s --min-object-size 0%s", t.candidates(), p.predIouThresh(),
			p.stabilityScoreThresh(), p.minObjectSize(), r.predIouThresh(), r.stabilityScoreThresh(), p.multimaskOutput()
				? "" : " --multimask-output 1");
	}

	/** What one image gave. */
	static final class ImageOutcome {
		int objects;
		int planes;
		AmgTimings timings;
	}

	static ImageOutcome process(Path file, Batch batch, AutoMaskGenerator generator, Settings s,
		TerminalProgress bar) throws SamException, IOException
	{
		// Planes stream from disk, in and out (SpooledLabelStack): a long stack needs the memory of one plane.
		ImagePlus imp = ImageFiles.openStreaming(file);
		ImagePlusSlices slices = new ImagePlusSlices(imp, s.channels);
		int planes = slices.size();
		long needed = MemoryEstimate.bytes(imp.getWidth(), imp.getHeight(), 0, generator.predictor().spec(),
			s.params, s.tiling);
		MemoryEstimate.check(needed, MemoryEstimate.availableFor(needed), file.getFileName() + " (" + imp.getWidth() + "x" + imp
			.getHeight() + (planes > 1 ? "x" + planes : "") + ")", s.tiling.appliesTo(imp.getWidth(), imp.getHeight()));
		String name = batch.names.of(file);
		List<Path> written = new ArrayList<>();
		StackAutoSegmenter stack = new StackAutoSegmenter(new TiledAutoSegmenter(generator, s.tiling), s.link, s.linkIou);
		try (SpooledLabelStack labels = new SpooledLabelStack(imp.getWidth(), imp.getHeight(), s.output)) {
			StringBuilder csv = new StringBuilder(planes > 1 ? "plane,slice,frame," : "").append(ObjectTableCsv.HEADER)
				.append(System.lineSeparator());
			ImageOutcome o = new ImageOutcome();
			o.planes = planes;
			o.timings = stack.run(slices, s.normalization, (i, l, r) -> {
				try {
					labels.add(l);
				}
				catch (IOException e) {
					throw FileProblems.error("write the labels of plane " + (i + 1) + " to the scratch file in", s.output, e);
				}
				o.objects += l.count();
				if (planes > 1) {
					StringBuilder rows = new StringBuilder();
					ObjectTableCsv.appendRows(rows, l.objects(), 0);
					for (String row : rows.toString().split("\\R"))
						csv.append(i + 1).append(',').append(slices.slice(i)).append(',').append(slices.frame(i))
							.append(',').append(row).append(System.lineSeparator());
				}
				else ObjectTableCsv.appendRows(csv, l.objects(), 0);
				if (s.coco) {
					Path coco = s.output.resolve(planes > 1 ? String.format(Locale.ROOT, "%s_s%04d_coco.json", name, i + 1)
						: name + "_coco.json");
					if (planes > 1) batch.guard.claim(coco, "COCO file of " + file.getFileName());
					writeCoco(coco, r, file.getFileName().toString(), i + 1);
					written.add(coco);
				}
			}, bar, null);
			Path table = s.output.resolve(name + "_objects.csv");
			FileProblems.attempt("write the object table", table, () -> ObjectTableCsv.writeText(table, csv.toString()));
			written.add(table);
			ImagePlus result = labels.toImagePlus(name + "_labels");
			if (planes > 1) result.setDimensions(1, imp.getNSlices(), imp.getNFrames());
			Path labelFile = s.output.resolve(name + "_labels.tif");
			FileProblems.attempt("write the label image", labelFile, () -> ImageFiles.saveTiff(result, labelFile));
			written.add(labelFile);
			// The record is written last: only with it is the image finished for a resumed run.
			FileProblems.attempt("write the completion record", CompletionRecord.path(s.output, name), () -> CompletionRecord.write(s.output, name,
				file, written));
			return o;
		}
	}

	private static void writeCoco(Path target, AmgResult r, String fileName, int id) throws SamException {
		FileProblems.attempt("write the COCO file", target, () -> CocoJson.write(target, r, fileName, id));
	}

	/**
	 * The inputs of a run and where their outputs go, decided before any work: which files are
	 * inputs (not outputs an earlier run left in the input folder), each input's output name
	 * (unique), and every output path claimed, so that an output can never replace an input or
	 * another output.
	 */
	static final class Batch {
		final List<Path> inputs = new ArrayList<>();
		OutputNames names;
		OutputGuard guard;
		final Path output;
		final boolean coco;
		int ownOutputs;

		private Batch(Path output, boolean coco) {
			this.output = output;
			this.coco = coco;
		}

		static Batch plan(List<Path> listed, Path output, boolean coco) throws SamException {
			if (Files.exists(output) && !Files.isDirectory(output)) throw new UnsafeOutputException("--output " +
				output + " is a file; give a folder (it is created if missing).");
			Batch b = new Batch(output, coco);
			// The inputs come from one folder (or are one file): its outputs of earlier runs, read once.
			Set<String> ours = listed.isEmpty() ? Set.of() : CompletionRecord.outputsIn(listed.get(0).toAbsolutePath()
				.getParent(), output);
			for (Path p : listed) {
				if (ours.contains(p.getFileName().toString())) b.ownOutputs++;
				else b.inputs.add(p);
			}
			b.names = OutputNames.assign(b.inputs);
			b.guard = new OutputGuard(b.inputs);
			for (Path p : b.inputs) {
				if (!spellable(p)) continue; // it fails alone, before any output is named
				String n = b.names.of(p), of = " of " + p.getFileName();
				b.guard.claim(output.resolve(n + "_labels.tif"), "label image" + of);
				b.guard.claim(output.resolve(n + "_objects.csv"), "object table" + of);
				b.guard.claim(CompletionRecord.path(output, n), "completion record" + of);
				if (coco) b.guard.claim(output.resolve(n + "_coco.json"), "COCO file" + of);
			}
			return b;
		}

		/** Whether an input's outputs are all there, complete (resume). */
		boolean finished(Path input) {
			String n = names.of(input);
			Set<String> done = CompletionRecord.verifiedOutputs(output, n);
			if (done == null || !done.contains(n + "_labels.tif") || !done.contains(n + "_objects.csv")) return false;
			return !coco || done.contains(n + "_coco.json") || done.contains(n + "_s0001_coco.json");
		}
	}

	/**
	 * Whether the file's name survives as text in this locale: with a non-UTF-8 locale (LANG=C) a
	 * listed name like "é.tif" decodes to replacement characters that name no file. Such a file
	 * stays in the list and fails alone, with the reason and the cure (ImageFiles says it), while
	 * the rest of the folder goes on.
	 */
	static boolean spellable(Path file) {
		try {
			Path.of(file.toString());
			return true;
		}
		catch (InvalidPathException e) {
			return false;
		}
	}

	/** The image files of a folder (sorted, hidden files left out), or the file itself. */
	static List<Path> inputs(Path input) throws SamException, IOException {
		if (Files.isRegularFile(input)) return List.of(input);
		if (!Files.exists(input)) throw new SamException("The input " + input + " does not exist. Check the " +
			"spelling of the path.");
		if (!Files.isDirectory(input)) throw new SamException("The input " + input + " is neither an image file " +
			"nor a folder (a device, a pipe or a socket). Give an image file or a folder of images.");
		try (Stream<Path> s = Files.list(input)) {
			List<Path> files = s.filter(Files::isRegularFile).filter(p -> {
				String n = p.getFileName().toString();
				int dot = n.lastIndexOf('.');
				String ext = dot > 0 ? n.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
				return !n.startsWith(".") && IMAGE_EXTENSIONS.contains(ext);
			}).sorted().collect(Collectors.toList());
			if (files.isEmpty()) throw new SamException("No images (" + String.join(", ", IMAGE_EXTENSIONS) + ") in " +
				input + ".");
			return files;
		}
		catch (IOException | java.io.UncheckedIOException e) {
			throw FileProblems.error("list the folder", input, e instanceof IOException ? (IOException) e
				: ((java.io.UncheckedIOException) e).getCause());
		}
	}
}
