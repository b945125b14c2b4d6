package org.fijisam.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * SAM's decoder-output rule, in one place. A full SAM decoder has four mask tokens: token 0
 * is the single mask (SAM's {@code multimask_output=False}), tokens 1..3 the ambiguity masks
 * (whole, part, sub-part). An export may return all four, only the three ambiguity masks, or
 * only the single mask; a lone point (an ambiguous prompt) takes the best-scored ambiguity
 * mask unless the model's descriptor asks for its single mask ({@code lone_point_output}).
 * Descriptor checks, the model spec, the predictor and the evaluation all ask this class, so
 * that a new family changes the rule here or nowhere. SAM 2 has the same four tokens and one
 * change: its single mask falls back to the best-scored ambiguity mask when token 0 is
 * unstable ({@link StabilityFallback}, "dynamic multimask via stability").
 */
public final class MaskTokens {

	/** Tokens of a full SAM decoder: the single mask, then three ambiguity masks. */
	public static final int COUNT = 4;

	/** The single-mask token. */
	public static final int SINGLE = 0;

	/** How many outputs a decoder may return, in words for messages. */
	public static final String VALID_COUNTS = "1, 3 or 4";

	/** {@code lone_point_output} values in a descriptor, in words for messages. */
	public static final String LONE_POINT_VALUES = "\"best_score\" or \"single\"";

	private MaskTokens() {}

	/**
	 * SAM 2's single-mask rule (MaskDecoder._dynamic_multimask_via_stability, on by default in
	 * the official builder): token 0 stands when its stability on the low-resolution logits,
	 * #(logit &gt; delta) / #(logit &gt; -delta) over the whole map (1 when nothing exceeds
	 * -delta), is at least {@code threshold}; else the ambiguity token with the highest predicted
	 * IoU (the first on ties) replaces it, with its own IoU.
	 */
	public static final class StabilityFallback {
		/** The official defaults: delta 0.05, threshold 0.98. */
		public static final StabilityFallback SAM2 = new StabilityFallback(0.05f, 0.98f);

		private final float delta;
		private final float threshold;

		public StabilityFallback(float delta, float threshold) {
			if (!(delta >= 0) || !(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException(
				"stability delta must be >= 0 and threshold in 0..1");
			this.delta = delta;
			this.threshold = threshold;
		}

		public float delta() { return delta; }

		public float threshold() { return threshold; }

		/** The stability of a single-mask output, computed as the official code does (float32). */
		public float stability(float[] logits) {
			int inner = 0, outer = 0;
			for (float v : logits) {
				if (v > delta) inner++;
				if (v > -delta) outer++;
			}
			return outer > 0 ? (float) inner / (float) outer : 1f;
		}

		/** True when the single mask stands. */
		public boolean keepsSingle(float[] logits) {
			return stability(logits) >= threshold;
		}

		@Override
		public String toString() {
			return "stability fallback (delta " + delta + ", threshold " + threshold + ")";
		}
	}

	/** True for the output counts a decoder may have: 4 (all tokens), 3 (ambiguity only), 1 (single only). */
	public static boolean isValidCount(int outputs) {
		return outputs == 1 || outputs == 3 || outputs == COUNT;
	}

	/** The token of output {@code index} of a decoder with {@code outputs} outputs. */
	public static int token(int outputs, int index) {
		// With 3 outputs there is no single-mask token, so the first output is token 1.
		return (outputs == 3 ? 1 : 0) + index;
	}

	/** True for a {@code lone_point_output} a descriptor may give (null: not given, SAM's rule). */
	public static boolean isLonePointOutput(String text) {
		return text == null || text.equals("best_score") || text.equals("single");
	}

	/**
	 * What {@link MaskSelection#AUTO} takes for a lone point, from the descriptor's
	 * {@code lone_point_output}: SAM's best-scored ambiguity mask unless "single" is asked for
	 * and the decoder has both a single-mask token and ambiguity tokens to prefer it over.
	 */
	public static MaskSelection lonePointSelection(String lonePointOutput, int outputs) {
		return "single".equals(lonePointOutput) && outputs == COUNT ? MaskSelection.SINGLE : MaskSelection.BEST_SCORE;
	}

	/** Refuses a lone-point rule other than SAM's (BEST_SCORE) or the single mask. */
	public static void checkLonePointSelection(MaskSelection selection) {
		if (selection != MaskSelection.BEST_SCORE && selection != MaskSelection.SINGLE) throw new IllegalArgumentException(
			"a lone point takes the best-scored or the single-mask output, not " + selection);
	}

	/**
	 * The selection a prompt actually gets: AUTO is the lone-point rule for an ambiguous
	 * prompt and the single mask otherwise; any other choice stands.
	 */
	public static MaskSelection resolve(MaskSelection requested, boolean ambiguousPrompt, MaskSelection lonePoint) {
		if (requested != MaskSelection.AUTO) return requested;
		return ambiguousPrompt ? lonePoint : MaskSelection.SINGLE;
	}

	/**
	 * The candidates a (resolved) selection keeps among all of one prompt's outputs.
	 * @param mode not AUTO (see {@link #resolve})
	 */
	public static List<MaskCandidate> keep(List<MaskCandidate> all, MaskSelection mode) {
		return keep(all, mode, null);
	}

	/**
	 * The candidates a (resolved) selection keeps, with the model's single-mask rule.
	 * @param mode not AUTO (see {@link #resolve})
	 * @param fallback SAM 2's rule for SINGLE, or null for SAM 1's (token 0 as it is)
	 */
	public static List<MaskCandidate> keep(List<MaskCandidate> all, MaskSelection mode, StabilityFallback fallback) {
		List<MaskCandidate> ambiguity = new ArrayList<>();
		MaskCandidate single = null;
		for (MaskCandidate c : all) {
			if (c.token() == SINGLE) single = c;
			else ambiguity.add(c);
		}
		if (ambiguity.isEmpty()) return Collections.singletonList(single);
		switch (mode) {
			// A model without a single-mask token: its best ambiguity mask stands in.
			case SINGLE: return Collections.singletonList(single != null && (fallback == null ||
				fallback.keepsSingle(single.lowRes().logits())) ? single : bestScore(ambiguity));
			case BEST_SCORE: return Collections.singletonList(bestScore(ambiguity));
			case LARGEST: return Collections.singletonList(ambiguity.stream().max(Comparator.comparingInt(
				MaskCandidate::lowResArea)).get());
			case SMALLEST: return Collections.singletonList(ambiguity.stream().min(Comparator.comparingInt(
				MaskCandidate::lowResArea)).get());
			case ALL: return ambiguity;
			default: throw new IllegalArgumentException("resolve " + mode + " first");
		}
	}

	/**
	 * Which output of a 4-output decoder is the single mask: token 0, unless SAM 2's
	 * {@code fallback} finds it unstable, then the best-scored ambiguity output (the first on
	 * ties). For callers that work on raw decoder outputs (segment everything).
	 */
	public static int singleOutput(DecoderOutput out, StabilityFallback fallback) {
		if (out.count() != COUNT) throw new IllegalArgumentException("needs the four tokens");
		if (fallback == null || fallback.keepsSingle(out.lowRes(SINGLE))) return SINGLE;
		int best = 1;
		for (int k = 2; k < COUNT; k++)
			if (out.iou(k) > out.iou(best)) best = k;
		return best;
	}

	private static MaskCandidate bestScore(List<MaskCandidate> candidates) {
		return candidates.stream().max(Comparator.comparingDouble(MaskCandidate::predictedIou)).get();
	}
}
