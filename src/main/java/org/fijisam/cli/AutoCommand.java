package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.fijisam.options.AutomaticSettings;
import org.fijisam.batch.BatchInputs;
import org.fijisam.batch.BatchPlan;
import org.fijisam.batch.BatchRun;
import org.fijisam.batch.BatchSummary;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamModel;
import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.OptionValues;

/**
 * {@code auto}: segment everything in an image, a stack, a folder or the files of a pattern,
 * through the one batch pipeline ({@link BatchRun}) with the options of {@link AutomaticOptions}.
 */
final class AutoCommand implements SamCli.Command {

	/** Table options ModelOptions reads itself (shared by every command). */
	private static final Set<String> MODEL_KEYS = Set.of("model", "provider", "threads");

	@Override
	public String name() { return "auto"; }

	@Override
	public String summary() { return "segment everything (automatic masks) in images, stacks or a folder"; }

	@Override
	public String help() {
		return "usage: sam-cli auto INPUT --output DIR [--preset P] [--coco] [--rois] [--tile N --halo N] [--model DIR] " +
			"[options]\n" +
			"Finds every object in INPUT (an image file, a folder of images, or a pattern such as '/data/*.tif')\n" +
			"without prompts and writes per image: NAME_labels.tif (16-bit labels, 32-bit above 65,535 objects; a\n" +
			"label stack for stacks), NAME_objects.csv (label, area, bbox, centroid, predicted IoU, stability), with\n" +
			"--coco NAME_coco.json (SA-1B layout, COCO RLE; NAME_sZZZZ_coco.json per plane for stacks) and with\n" +
			"--rois NAME_rois.zip (an ImageJ ROI set).\n" +
			"Images whose outputs are complete are skipped (use --overwrite to redo them): a hidden record\n" +
			".NAME.done.json, written last, holds each output's size and SHA-256. Inputs that share a name\n" +
			"(a.tif, a.png) get outputs named a_tif_*, a_png_*. No output ever replaces an input.\n" +
			"The same options, with underscores, are the macro keys of Segment Everything / Batch Segment Folder.\n" +
			"  --output DIR                       folder for the results (created if missing)\n" +
			OptionArgs.help(AutomaticOptions.FILES, MODEL_KEYS) + ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new TreeSet<>(OptionArgs.valueOptions(AutomaticOptions.FILES, MODEL_KEYS));
		valueOptions.add("output");
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		CliArgs args = new CliArgs(argv, 1, valueOptions, OptionArgs.flags(AutomaticOptions.FILES, MODEL_KEYS));
		if (args.positional().size() != 1) throw new CliArgs.UsageException("give exactly one INPUT (image, folder " +
			"or pattern)");
		String out0 = args.get("output", null);
		if (out0 == null) throw new CliArgs.UsageException("--output DIR is required");
		OptionValues values = OptionArgs.values(args, AutomaticOptions.FILES, MODEL_KEYS);
		AutomaticSettings settings;
		try {
			settings = AutomaticSettings.of(values); // a typo fails before any work
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(OptionArgs.cliWords(e.getMessage()));
		}
		MemoryProbe.trackLiveHeap();
		long start = System.nanoTime();
		BatchRun run = new BatchRun(settings, new TerminalListener(out, err));
		BatchPlan plan = run.plan(BatchInputs.list(args.positional().get(0)), Path.of(out0));
		SamModel[] loaded = new SamModel[1];
		BatchSummary summary;
		try {
			summary = run.run(plan, () -> {
				try {
					loaded[0] = ModelOptions.load(ModelOptions.source(args), args, out);
					return ModelOptions.predictor(loaded[0], args);
				}
				catch (CliArgs.UsageException e) {
					throw new org.fijisam.core.SamException(e.getMessage());
				}
			}, null);
		}
		finally {
			if (loaded[0] != null) loaded[0].close();
		}
		int failed = summary.count(BatchSummary.FAILED);
		out.printf(Locale.ROOT, "summary: %d segmented, %d skipped (already done), %d failed, %.1f s%n", summary.count(
			BatchSummary.SEGMENTED), summary.count(BatchSummary.SKIPPED), failed, (System.nanoTime() - start) / 1e9);
		if (summary.count(BatchSummary.SEGMENTED) > 0) out.println("time split: " + summary.timings());
		if (!plan.renamed().isEmpty()) out.println("  " + plan.renamed().size() + " input" + (plan.renamed().size() == 1
			? "" : "s") + " shared a name with another: their outputs are " + String.join(", ", plan.renamed()));
		// Tells cluster users how much memory to ask for next time.
		long rss = MemoryProbe.peakRssBytes();
		long live = MemoryProbe.peakLiveHeapBytes();
		out.printf(Locale.ROOT, "peak memory: Java heap %s (-Xmx %.0f MB)%s%n", live > 0 ? String.format(Locale.ROOT,
			"%.0f MB in use after collections", live / 1048576.0) : "no collection ran", Runtime.getRuntime()
				.maxMemory() / 1048576.0, rss > 0 ? String.format(Locale.ROOT, ", process %.0f MB", rss / 1048576.0) : "");
		for (String f : summary.failures())
			out.println("  failed: " + f);
		return failed == 0 ? 0 : 1;
	}

	/** The run's messages on the terminal: lines on stdout, failures on stderr, a progress bar per image. */
	private static final class TerminalListener implements BatchRun.Listener {
		private final PrintStream out, err;
		private TerminalProgress bar;

		TerminalListener(PrintStream out, PrintStream err) {
			this.out = out;
			this.err = err;
		}

		@Override
		public void info(String line) {
			out.println(line);
		}

		@Override
		public void error(String line) {
			err.println(line);
		}

		@Override
		public ProgressListener imageStarted(String label) {
			bar = new TerminalProgress(err, label);
			return bar;
		}

		@Override
		public String spell(String key, String value) {
			return "--" + key.replace('_', '-') + " " + value;
		}

		@Override
		public void imageEnded() {
			if (bar != null) bar.finish();
			bar = null;
		}
	}
}
