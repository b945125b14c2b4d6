package org.fijisam.core.amg;

import java.util.Arrays;

import org.fijisam.core.Cancellation;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.UnsupportedImageException;

/**
 * Automatic segmentation of a stack or time series, slice by slice: one intensity range for
 * the whole stack ({@link StackNormalization}), each slice segmented (tiled when large),
 * optionally linked to the previous slice ({@link SliceLinker}), and handed to a sink at once.
 * Only one slice, its masks and the previous slice's labels are held, so memory does not grow
 * with the number of slices.
 */
public final class StackAutoSegmenter {

	/** Receives each slice's result as soon as it is done (e.g. to add it to a label stack). */
	@FunctionalInterface
	public interface SliceSink {
		void accept(int index, LabelImage labels, AmgResult result) throws SamException;
	}

	private final TiledAutoSegmenter segmenter;
	private final boolean link;
	private final double linkIou;

	/**
	 * @param link give an object one label through the stack (overlap matching of adjacent slices)
	 * @param linkIou minimum IoU between adjacent slices for linking
	 */
	public StackAutoSegmenter(TiledAutoSegmenter segmenter, boolean link, double linkIou) {
		this.segmenter = segmenter;
		this.link = link;
		this.linkIou = linkIou;
	}

	/**
	 * Segments every slice of {@code source}.
	 *
	 * @return the summed timings of all slices
	 * @throws UnsupportedImageException when the slices do not all have the same size
	 */
	public AmgTimings run(SliceSource source, Normalization normalization, SliceSink sink, ProgressListener progress,
		Cancellation cancel) throws SamException
	{
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		normalization = normalization.forModel(segmenter.generator().predictor().spec());
		checkDimensions(source);
		int n = source.size();
		ProgressEta eta = new ProgressEta(p);
		eta.report(0, "measuring the stack's intensity range");
		// Normalising each slice by itself would give every slice another contrast.
		Normalization shared = n > 1 ? StackNormalization.measure(source, normalization, c) : normalization;
		SliceLinker linker = link ? new SliceLinker(linkIou) : null;
		AmgTimings total = new AmgTimings();
		for (int i = 0; i < n; i++) {
			c.check();
			int index = i;
			SamImage image = source.image(i, shared);
			String prefix = n > 1 ? "slice " + (i + 1) + "/" + n : "";
			AmgResult r = segmenter.generate(image, (f, m) -> eta.report((index + f) / n, join(prefix, m)), c);
			LabelImage labels = r.labels();
			if (linker != null) labels = linker.link(labels);
			total.add(r.timings());
			sink.accept(i, labels, r);
		}
		eta.report(1, "done");
		return total;
	}

	/** "slice 2/5: points 64/1024", the inner estimate of time left replaced by the stack's. */
	public static String join(String prefix, String message) {
		String inner = message.replaceAll(", ETA.*", "");
		if (prefix.isEmpty()) return inner;
		return inner.isEmpty() ? prefix : prefix + ": " + inner;
	}

	/** All slices must share one size: a label stack has one size. */
	public static void checkDimensions(SliceSource source) throws UnsupportedImageException {
		if (source.size() == 0) throw new UnsupportedImageException("The stack has no slices.");
		int[] first = source.dimensions(0);
		if (first.length != 2) throw new UnsupportedImageException("Slice 1 has " + first.length +
			" dimensions; each slice must be a 2D plane.");
		for (int i = 1; i < source.size(); i++) {
			int[] d = source.dimensions(i);
			if (!Arrays.equals(first, d)) throw new UnsupportedImageException("The stack mixes image sizes: slice " +
				(i + 1) + " is " + describe(d) + " but slice 1 is " + describe(first) +
				". Resize or crop the slices to one size, or segment them as separate images.");
		}
	}

	private static String describe(int[] d) {
		StringBuilder sb = new StringBuilder();
		for (int v : d)
			sb.append(sb.length() == 0 ? "" : "x").append(v);
		return sb.toString();
	}
}
