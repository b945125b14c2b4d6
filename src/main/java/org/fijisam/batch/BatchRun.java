package org.fijisam.batch;

import org.fijisam.options.AutomaticSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.Cancellation;
import org.fijisam.core.CancelledException;
import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputLock;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgTimings;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.InstanceSegmenter;

/**
 * Segment everything over files, the one implementation behind {@code sam-cli auto}, Fiji's
 * Batch Segment Folder (everything mode) and the SciJava file commands: plan the inputs and
 * outputs, skip what an earlier run finished, segment the rest image by image (a failing image
 * is reported and the others go on), write every output atomically, and summarise.
 */
public final class BatchRun {

	/** Where a run's messages go: a terminal, ImageJ's Log window, a SciJava log service. */
	public interface Listener {
		void info(String line);

		void error(String line);

		/** Progress within one image; {@link #imageEnded} follows. */
		default ProgressListener imageStarted(String label) {
			return ProgressListener.NONE;
		}

		default void imageEnded() {}

		/**
		 * A listener from three functions: where information and failure lines go, and the
		 * progress of each image (given its label).
		 */
		static Listener of(java.util.function.Consumer<String> info, java.util.function.Consumer<String> error,
			java.util.function.Function<String, ProgressListener> imageProgress)
		{
			return new Listener() {
				@Override
				public void info(String line) {
					info.accept(line);
				}

				@Override
				public void error(String line) {
					error.accept(line);
				}

				@Override
				public ProgressListener imageStarted(String label) {
					return imageProgress.apply(label);
				}
			};
		}

		/** How this entry point spells an option with a value in a hint ("key=value" for macros). */
		default String spell(String key, String value) {
			return key + "=" + value;
		}
	}

	/** Gives the model when there is work to do (so that a finished run loads nothing). */
	@FunctionalInterface
	public interface PredictorSource {
		SamPredictor get() throws SamException;
	}

	private final AutomaticSettings settings;
	private final Listener listener;

	public BatchRun(AutomaticSettings settings, Listener listener) {
		this.settings = settings;
		this.listener = listener;
	}

	/** The writers a run's settings ask for: label image and object table always, COCO and ROI set on request. */
	public static List<ResultWriter> writers(AutomaticSettings s) {
		List<ResultWriter> w = new ArrayList<>(List.of(new LabelTiffWriter(), new ObjectCsvWriter()));
		if (s.coco()) w.add(new CocoJsonWriter());
		if (s.rois()) w.add(new RoiSetWriter());
		return w;
	}

	/** Lists and checks the inputs and every output before any work (see {@link BatchPlan}). */
	public BatchPlan plan(List<Path> inputs, Path output) throws SamException {
		return BatchPlan.of(inputs, output, writers(settings), List.of());
	}

	public BatchSummary run(BatchPlan plan, PredictorSource model, Cancellation cancel) throws SamException {
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		Path output = plan.output();
		BatchSummary summary = new BatchSummary();
		List<Path> todo = new ArrayList<>();
		for (Path p : plan.inputs()) {
			if (!settings.overwrite() && plan.finished(p)) summary.add(new BatchSummary.Row(p.getFileName().toString(),
				BatchSummary.SKIPPED, 0, 0, 0, "", ""));
			else todo.add(p);
		}
		int n = plan.inputs().size();
		listener.info(n + " image" + (n == 1 ? "" : "s") + ", " + (n - todo.size()) + " already done; " + settings
			.tiling());
		if (plan.ownOutputs() > 0) listener.info("left out " + plan.ownOutputs() + " file" + (plan.ownOutputs() == 1
			? "" : "s") + " of the input folder that an earlier run wrote as outputs");
		for (String r : plan.renamed())
			listener.info("same name as another input, outputs renamed: " + r);
		if (todo.isEmpty()) return summary;
		FileProblems.attempt("create the output folder", output, () -> Files.createDirectories(output));
		try (OutputLock lock = OutputLock.acquire(output, "segment everything over " + n + " image" + (n == 1 ? "" : "s"))) {
			segment(todo, plan, model, summary, c);
		}
		return summary;
	}

	private void segment(List<Path> todo, BatchPlan plan, PredictorSource model, BatchSummary summary,
		Cancellation c) throws SamException
	{
		Path output = plan.output();
		int cleaned = AtomicFiles.removeLeftovers(output);
		if (cleaned > 0) listener.info("removed " + cleaned + " scratch file" + (cleaned == 1 ? "" : "s") + " left in " +
			output + " by an interrupted run");
		SamPredictor predictor = model.get();
		ImageJob job = ImageJob.forModel(settings, predictor);
		AmgParameters params = job.generator().parameters();
		listener.info("mode " + job.generator().mode() + (job.generator() instanceof InstanceSegmenter ? " (" +
			((InstanceSegmenter) job.generator()).aisParameters() + ", min_object_size " + params.minObjectSize() + ")"
			: ", parameters: " + params));
		String node = hostName();
		for (int i = 0; i < todo.size(); i++) {
			c.check();
			Path p = todo.get(i);
			String name = p.getFileName().toString();
			String label = "[" + (i + 1) + "/" + todo.size() + "] " + name;
			long start = System.nanoTime();
			ProgressListener progress = listener.imageStarted(label);
			String problem;
			try {
				ImageJob.Outcome o = job.run(p, plan, progress, c);
				listener.imageEnded();
				double seconds = (System.nanoTime() - start) / 1e9;
				summary.add(new BatchSummary.Row(name, BatchSummary.SEGMENTED, o.objects, o.planes, seconds, node, ""));
				summary.timings().add(o.timings);
				listener.info(String.format(Locale.ROOT, "%s: %d object%s%s (%.1f s)", label, o.objects, o.objects == 1
					? "" : "s", o.planes > 1 ? " in " + o.planes + " planes" : "", o.timings.totalMs() / 1000));
				if (o.objects == 0 && o.timings.candidates() > 0 && job.generator() instanceof AutoMaskGenerator) listener
					.info(noObjectHint(params, o.timings, listener));
				if (o.objects == 0 && job.generator() instanceof InstanceSegmenter) listener.info("  the instance decoder " +
					"found no object; if the image has objects, try a lower " + listener.spell("foreground_threshold", "0.3")
						.replace(" 0.3", "").replace("=0.3", "") + " or mode amg");
				continue;
			}
			catch (CancelledException e) {
				listener.imageEnded();
				throw e;
			}
			catch (SamException e) {
				problem = e.getMessage();
			}
			catch (RuntimeException e) {
				// A bug must not cost the rest of the batch; say what happened, briefly.
				problem = "internal error: " + e + " (please report it)";
			}
			catch (OutOfMemoryError e) {
				problem = "out of memory. Give Java more memory (-Xmx, or Edit > Options > Memory in Fiji), or " +
					"tile the images (tile option) or decode fewer points at once (points_per_batch).";
			}
			listener.imageEnded();
			summary.add(new BatchSummary.Row(name, BatchSummary.FAILED, 0, 0, (System.nanoTime() - start) / 1e9, node,
				problem));
			listener.error("failed: " + name + ": " + problem);
		}
	}

	/**
	 * Plans and runs over {@code inputs}, for entry points that must stop on any failure (a
	 * macro): every image is still tried, then the failures are named in one exception.
	 */
	public BatchSummary runAll(List<Path> inputs, Path output, PredictorSource model, Cancellation cancel)
		throws SamException
	{
		BatchSummary summary = run(plan(inputs, output), model, cancel);
		List<String> failures = summary.failures();
		if (!failures.isEmpty()) throw new SamException(failures.size() + " of " + summary.rows().size() +
			" images failed (" + summary.count(BatchSummary.SEGMENTED) + " segmented): " + String.join("; ", failures));
		return summary;
	}

	/**
	 * An empty result is right for an empty image, but more often the thresholds were too strict
	 * for the model and the objects (small or faint ones score low): say which, and what to try,
	 * in the words of the entry point.
	 */
	public static String noObjectHint(AmgParameters p, AmgTimings t, Listener words) {
		AmgParameters r = p.relaxed();
		return String.format(Locale.ROOT, "  none of the %d decoded masks passed pred_iou_thresh %s, " +
			"stability_score_thresh %s and min_object_size %d; if the image has objects, try lower values, e.g. " +
			"%s %s %s%s", t.candidates(), p.predIouThresh(), p.stabilityScoreThresh(), p.minObjectSize(), words.spell(
				"pred_iou_thresh", Double.toString(r.predIouThresh())), words.spell("stability_score_thresh", Double
					.toString(r.stabilityScoreThresh())), words.spell("min_object_size", "0"), p.multimaskOutput() ? ""
						: " " + words.spell("multimask_output", "1"));
	}

	/** This machine's name, for the summary of a run over several machines. */
	public static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException e) {
			return "localhost";
		}
	}
}
