package org.fijisam.core.propagation;

import java.util.Locale;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.MaskCandidate;

/** Checks a new plane's mask against the rules and the previous plane's mask. */
final class Consistency {

	private final PropagationRules rules;

	Consistency(PropagationRules rules) {
		this.rules = rules;
	}

	/**
	 * Null when the mask is kept, else why not ({@code plane} is 0-based, the message 1-based).
	 * The overlap is taken with the previous mask moved by the move the prompt expected
	 * ({@code dx, dy}): an object that keeps moving as it moved overlaps its expected place,
	 * while a prompt that slipped onto a neighbour does not.
	 */
	StopReason check(Direction d, int plane, MaskCandidate candidate, BinaryMask mask, BinaryMask previous,
		double dx, double dy)
	{
		String at = "stopped at plane " + (plane + 1) + ": ";
		if (mask.area() == 0) return new StopReason(d, StopReason.Kind.EMPTY, plane, at + "the mask is empty");
		if (candidate.predictedIou() < rules.minPredictedIou()) return new StopReason(d, StopReason.Kind.PREDICTED_IOU,
			plane, at + "predicted IoU " + f(candidate.predictedIou()) + " < " + f(rules.minPredictedIou()));
		if (candidate.stability() < rules.minStability()) return new StopReason(d, StopReason.Kind.STABILITY, plane, at +
			"stability " + f(candidate.stability()) + " < " + f(rules.minStability()));
		double overlap = rules.overlapAfterMove() ? mask.iouMoved(previous, (int) Math.round(dx), (int) Math.round(dy))
			: mask.iou(previous);
		if (overlap < rules.minOverlap()) return new StopReason(d, StopReason.Kind.OVERLAP, plane, at + "overlap " + f(
			overlap) + " < " + f(rules.minOverlap()));
		return null;
	}

	private static String f(double v) {
		return String.format(Locale.ROOT, "%.2f", v);
	}
}
