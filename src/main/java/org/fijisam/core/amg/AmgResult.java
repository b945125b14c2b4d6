package org.fijisam.core.amg;

import java.util.Collections;
import java.util.List;

/**
 * The outcome of automatic mask generation on one plane: the masks (SAM's output records,
 * image frame), the parameters used and where the time went. The label image is painted on
 * first request.
 */
public final class AmgResult implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	private final int width;
	private final int height;
	private final List<GeneratedMask> masks;
	private final AmgParameters parameters;
	private final AmgTimings timings;
	// painted on demand where the outputs are written; not sent between nodes
	private transient LabelImage labels;

	public AmgResult(int width, int height, List<GeneratedMask> masks, AmgParameters parameters, AmgTimings timings) {
		this.width = width;
		this.height = height;
		this.masks = Collections.unmodifiableList(masks);
		this.parameters = parameters;
		this.timings = timings;
	}

	public int width() { return width; }

	public int height() { return height; }

	/** The generated masks, in SAM's output order. */
	public List<GeneratedMask> masks() { return masks; }

	public AmgParameters parameters() { return parameters; }

	/** Encoder / decoder / filtering / postprocessing split, for benchmarks. */
	public AmgTimings timings() { return timings; }

	/** The label image with {@link AmgParameters#minObjectSize()} applied (painted once). */
	public synchronized LabelImage labels() {
		if (labels == null) {
			long t0 = System.nanoTime();
			labels = LabelPainter.paint(masks, width, height, parameters.minObjectSize());
			timings.labelNanos += System.nanoTime() - t0;
		}
		return labels;
	}
}
