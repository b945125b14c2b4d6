package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.LowResMask;
import org.fijisam.core.MaskTokens;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;

/**
 * SAM 2's mask-to-mask refinement ({@code use_m2m} of SAM2AutomaticMaskGenerator,
 * {@code refine_with_m2m}): every first-pass mask, whatever its scores (the filters come
 * after), is decoded once more with the same point and its own low-resolution logits as mask
 * input (clamped as the model's prompt encoding says, as the official predictor returns them
 * clamped), single-mask output (for SAM 2 the stability fallback may pick an ambiguity token).
 * The refined logits and that token's IoU replace the first ones; the stability score is then
 * computed on the refined logits.
 */
final class M2mRefinement {

	private M2mRefinement() {}

	/**
	 * @param batch prompts per decoder call (points_per_batch, as the official code): only the
	 *        chosen token of each output is kept, so a call holds the four tokens of at most
	 *        this many prompts (64 x 4 x 256 KB), not of all candidates of a batch of points
	 */
	static List<AutoMaskGenerator.FirstPass> refine(SamPredictor predictor, ImageEmbedding embedding,
		List<AutoMaskGenerator.FirstPass> first, double[] points, int batch) throws SamException
	{
		int lowRes = predictor.spec().lowResSize();
		List<AutoMaskGenerator.FirstPass> refined = new ArrayList<>(first.size());
		for (int from = 0; from < first.size(); from += batch) {
			List<AutoMaskGenerator.FirstPass> chunk = first.subList(from, Math.min(first.size(), from + batch));
			List<DecoderPrompt> prompts = new ArrayList<>(chunk.size());
			for (AutoMaskGenerator.FirstPass m : chunk) {
				Prompt p = Prompt.point(points[2 * m.point], points[2 * m.point + 1]).withMaskInput(new LowResMask(
					lowRes, m.logits));
				predictor.spec().promptEncoding().check(p);
				prompts.add(DecoderPrompt.encode(p, embedding.geometry(), lowRes, predictor.spec().promptEncoding()));
			}
			// One point and a mask each: the decoder batches them as it likes, and each element of a
			// batch equals its run alone.
			List<DecoderOutput> outputs = predictor.model().decoder().decode(embedding, prompts);
			for (int i = 0; i < outputs.size(); i++) {
				DecoderOutput out = outputs.get(i);
				int k = singleToken(out, predictor.spec().singleMaskFallback());
				refined.add(new AutoMaskGenerator.FirstPass(chunk.get(i).point, out.lowRes(k), out.iou(k)));
			}
		}
		return refined;
	}

	/** The model's single mask; a decoder without a single-mask token gives its best-scored one. */
	private static int singleToken(DecoderOutput out, MaskTokens.StabilityFallback fallback) {
		if (out.count() == MaskTokens.COUNT) return MaskTokens.singleOutput(out, fallback);
		int best = 0;
		for (int k = 1; k < out.count(); k++)
			if (out.iou(k) > out.iou(best)) best = k;
		return best;
	}
}
