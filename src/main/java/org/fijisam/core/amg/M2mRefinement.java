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

	static List<AutoMaskGenerator.FirstPass> refine(SamPredictor predictor, ImageEmbedding embedding,
		List<AutoMaskGenerator.FirstPass> first, double[] points) throws SamException
	{
		int lowRes = predictor.spec().lowResSize();
		List<DecoderPrompt> prompts = new ArrayList<>(first.size());
		for (AutoMaskGenerator.FirstPass m : first) {
			Prompt p = Prompt.point(points[2 * m.point], points[2 * m.point + 1]).withMaskInput(new LowResMask(lowRes,
				m.logits));
			prompts.add(DecoderPrompt.encode(p, embedding.geometry(), lowRes, predictor.spec().promptEncoding()));
		}
		// All prompts have one point and a mask: the decoder batches them as it likes, and each
		// element of a batch equals its run alone (the official code refines points_per_batch at a time).
		List<DecoderOutput> outputs = predictor.model().decoder().decode(embedding, prompts);
		List<AutoMaskGenerator.FirstPass> refined = new ArrayList<>(first.size());
		for (int i = 0; i < outputs.size(); i++) {
			DecoderOutput out = outputs.get(i);
			int k = singleToken(out, predictor.spec().singleMaskFallback());
			refined.add(new AutoMaskGenerator.FirstPass(first.get(i).point, out.lowRes(k), out.iou(k)));
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
