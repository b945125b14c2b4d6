package org.fijisam.batch;

import org.fijisam.options.AutomaticSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.Cancellation;
import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AmgTimings;
import org.fijisam.core.amg.PlaneSegmenter;
import org.fijisam.core.amg.LabelImage;
import org.fijisam.core.amg.MemoryEstimate;
import org.fijisam.core.amg.ProgressEta;
import org.fijisam.core.amg.SliceLinker;
import org.fijisam.core.amg.StackAutoSegmenter;
import org.fijisam.core.amg.StackNormalization;
import org.fijisam.core.amg.TiledAutoSegmenter;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusSlices;
import org.fijisam.io.CompletionRecord;

/**
 * Segment everything in one image file and write its outputs, in three steps that a run on
 * one machine chains ({@link #run}) and a cluster run spreads: {@link #prepare} (sizes, the
 * stack's shared intensity range, tiles), {@link #segment} (one plane or one tile of a plane)
 * and {@link #write} (planes in order -> slice linking -> every writer -> completion record).
 * Both run the same code, so both give the same files.
 */
public final class ImageJob {

	private final AutomaticSettings settings;
	private final TiledAutoSegmenter segmenter;

	public ImageJob(AutomaticSettings settings, PlaneSegmenter generator) {
		this.settings = settings;
		this.segmenter = new TiledAutoSegmenter(generator, settings.tiling());
	}

	/** The job for a model, with the mode and parameters of the settings ("auto": the model's). */
	public static ImageJob forModel(AutomaticSettings settings, org.fijisam.core.SamPredictor predictor)
		throws org.fijisam.core.ModelException
	{
		return new ImageJob(settings, settings.segmenter(predictor));
	}

	public PlaneSegmenter generator() { return segmenter.generator(); }

	/**
	 * Opens the image (planes stream from disk), checks that it can be segmented in this
	 * memory, and measures the intensity range all its planes share.
	 */
	public PreparedImage prepare(Path file, String base, Cancellation cancel) throws SamException {
		return prepare(ImageFiles.openStreaming(file), file, base, cancel);
	}

	private PreparedImage prepare(ImagePlus imp, Path file, String base, Cancellation cancel) throws SamException {
		ImagePlusSlices slices = new ImagePlusSlices(imp, settings.channels());
		StackAutoSegmenter.checkDimensions(slices);
		int w = imp.getWidth(), h = imp.getHeight(), planes = slices.size();
		long needed = MemoryEstimate.bytes(w, h, 0, generator().predictor().spec(), generator().parameters(), settings
			.tiling());
		MemoryEstimate.check(needed, MemoryEstimate.availableFor(needed), file.getFileName() + " (" + w + "x" + h +
			(planes > 1 ? "x" + planes : "") + ")", settings.tiling().appliesTo(w, h));
		Normalization n = settings.normalization().forModel(generator().predictor().spec());
		// Normalising each plane by itself would give every plane another contrast.
		if (planes > 1) n = StackNormalization.measure(slices, n, cancel);
		return new PreparedImage(file, base, w, h, planes, n, settings.tiling().appliesTo(w, h) ? settings.tiling()
			.layout(w, h) : List.of(), needed);
	}

	/** One plane whole ({@code tile} &lt; 0) or one of its tiles, masks in plane coordinates. */
	public AmgResult segment(PreparedImage image, ImagePlusSlices planes, int plane, int tile,
		ProgressListener progress, Cancellation cancel) throws SamException
	{
		if (tile < 0) return segmenter.generate(planes.image(plane, image.normalization()), progress, cancel);
		return segmenter.generateTile(planes.image(plane, image.normalization()), image.tiles().get(tile), progress,
			cancel);
	}

	/** A plane's result from its tiles' results, in tile order. */
	public AmgResult merge(PreparedImage image, List<AmgResult> tiles) {
		return segmenter.merge(image.width(), image.height(), image.tiles(), tiles);
	}

	/** The planes of the image as the model sees them (channels chosen by the settings). */
	public ImagePlusSlices planes(PreparedImage image) throws SamException {
		return new ImagePlusSlices(ImageFiles.openStreaming(image.file()), settings.channels());
	}

	/**
	 * Writes an image's outputs from its planes' results, given in plane order: labels (linked
	 * through the stack when asked), then each writer's files, then the completion record last,
	 * so that only a finished image counts as done. The outputs' names were decided and checked
	 * by the planner (maybe on another machine); {@code guard} checks the names only known now
	 * (a stack's per-plane files).
	 *
	 * @return the number of objects
	 */
	public int write(PreparedImage image, Iterator<AmgResult> planesInOrder, Path dir, List<ResultWriter> writers,
		OutputGuard guard) throws SamException
	{
		return write(image, ImageFiles.openStreaming(image.file()), planesInOrder, dir, writers, guard);
	}

	/** @param imp the image, opened (its header: sizes, stack layout, calibration for the writers) */
	private int write(PreparedImage image, ImagePlus imp, Iterator<AmgResult> planesInOrder, Path dir,
		List<ResultWriter> writers, OutputGuard guard) throws SamException
	{
		ImageTarget target = new ImageTarget(image.file(), imp, dir, image.base(), guard);
		List<ImageSink> sinks = new ArrayList<>();
		try {
			for (ResultWriter w : writers)
				sinks.add(w.open(target));
			SliceLinker linker = settings.link() ? new SliceLinker(settings.linkIou()) : null;
			int objects = 0;
			for (int i = 0; i < image.planes(); i++) {
				if (!planesInOrder.hasNext()) throw new IllegalStateException("plane " + (i + 1) + " of " + image +
					" is missing");
				AmgResult r = planesInOrder.next();
				LabelImage labels = r.labels();
				if (linker != null) labels = linker.link(labels);
				objects += labels.count();
				PlaneResult p = new PlaneResult(i, labels, r);
				for (ImageSink s : sinks)
					s.plane(p);
			}
			List<Path> written = new ArrayList<>();
			for (ImageSink s : sinks)
				written.addAll(s.finish());
			// The record is written last: only with it is the image finished for a resumed run.
			CompletionRecord.write(dir, image.base(), image.file(), written);
			return objects;
		}
		catch (IOException e) {
			throw FileProblems.error("write the results of " + image.file().getFileName() + " to", dir, e);
		}
		finally {
			for (ImageSink s : sinks)
				try {
					s.close();
				}
				catch (IOException e) {
					// scratch space that could not be released is swept by the next run in this folder
				}
		}
	}

	/** What one image gave. */
	public static final class Outcome {
		public final int objects;
		public final int planes;
		public final AmgTimings timings;

		Outcome(int objects, int planes, AmgTimings timings) {
			this.objects = objects;
			this.planes = planes;
			this.timings = timings;
		}
	}

	/** All three steps on this machine, one plane at a time (a long stack needs the memory of one plane). */
	public Outcome run(Path file, BatchPlan plan, ProgressListener progress, Cancellation cancel)
		throws SamException
	{
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		ProgressEta eta = new ProgressEta(p);
		eta.report(0, "reading");
		// One machine does all three steps: the file is opened (its header read) once, not per step.
		ImagePlus imp = ImageFiles.openStreaming(file);
		PreparedImage image = prepare(imp, file, plan.name(file), c);
		ImagePlusSlices planes = new ImagePlusSlices(imp, settings.channels());
		AmgTimings total = new AmgTimings();
		int n = image.planes();
		Iterator<AmgResult> results = new Iterator<>() {
			int next;

			@Override
			public boolean hasNext() {
				return next < n;
			}

			@Override
			public AmgResult next() {
				int index = next++;
				String prefix = n > 1 ? "slice " + (index + 1) + "/" + n : "";
				try {
					c.check();
					AmgResult r = segment(image, planes, index, -1, (f, m) -> eta.report((index + f) / n,
						StackAutoSegmenter.join(prefix, m)), c);
					total.add(r.timings());
					return r;
				}
				catch (SamException e) {
					throw new Failure(e);
				}
			}
		};
		try {
			int objects = write(image, imp, results, plan.output(), plan.writers(), plan.guard());
			eta.report(1, "done");
			return new Outcome(objects, n, total);
		}
		catch (Failure f) {
			throw f.cause;
		}
	}

	/** Carries a segmentation failure out of the plane iterator. */
	private static final class Failure extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final SamException cause;

		Failure(SamException cause) {
			super(cause);
			this.cause = cause;
		}
	}
}
