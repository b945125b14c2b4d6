package org.fijisam.core.amg;

import java.util.Locale;

/**
 * Where the time of one automatic segmentation went: encoder (preprocessing + image encoder,
 * per crop), decoder (batched prompt decoding), filtering (score and edge filters, NMS) and
 * postprocessing (upsampling kept masks, cleanup, tile merging). Label painting is timed by
 * {@link AmgResult#labels()} separately ({@link #labelMs()}). Counts tell the work done.
 */
public final class AmgTimings implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	long encoderNanos;
	long decoderNanos;
	long filterNanos;
	long postprocessNanos;
	long totalNanos;
	long labelNanos;
	int crops;
	int prompts;
	int candidates;
	int kept;

	public double encoderMs() { return encoderNanos / 1e6; }

	public double decoderMs() { return decoderNanos / 1e6; }

	public double filterMs() { return filterNanos / 1e6; }

	public double postprocessMs() { return postprocessNanos / 1e6; }

	/** Wall time of the whole generation (the four parts plus bookkeeping). */
	public double totalMs() { return totalNanos / 1e6; }

	/** Painting the label image and measuring objects. */
	public double labelMs() { return labelNanos / 1e6; }

	/** Crops encoded (1 without crop layers; per tile when tiled). */
	public int crops() { return crops; }

	/** Point prompts decoded. */
	public int prompts() { return prompts; }

	/** Masks the decoder returned (3 per point with multimask output). */
	public int candidates() { return candidates; }

	/** Masks in the result. */
	public int kept() { return kept; }

	/** Adds another run's figures (tiles, slices). */
	public void add(AmgTimings o) {
		encoderNanos += o.encoderNanos;
		decoderNanos += o.decoderNanos;
		filterNanos += o.filterNanos;
		postprocessNanos += o.postprocessNanos;
		totalNanos += o.totalNanos;
		labelNanos += o.labelNanos;
		crops += o.crops;
		prompts += o.prompts;
		candidates += o.candidates;
		kept += o.kept;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT,
			"total %.0f ms: encoder %.0f ms (%d crop%s), decoder %.0f ms (%d prompts, %d masks), filtering %.0f ms, " +
				"postprocessing %.0f ms, labels %.0f ms; %d masks kept",
			totalMs(), encoderMs(), crops, crops == 1 ? "" : "s", decoderMs(), prompts, candidates, filterMs(),
			postprocessMs(), labelMs(), kept);
	}
}
