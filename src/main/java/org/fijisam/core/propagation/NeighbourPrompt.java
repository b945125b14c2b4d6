package org.fijisam.core.propagation;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.DistanceTransform;
import org.fijisam.core.LowResMask;
import org.fijisam.core.Prompt;

/**
 * The prompt for an object on the next plane, made from its mask on the previous one: the
 * point deepest inside it (a point near the border falls outside the object as soon as it
 * moves; the deepest one is the last to leave), moved by the move expected; optionally the
 * bounding box (where it is and how large) and the previous low-res logits as the mask
 * prompt ({@link PropagationRules} says which, and why not by default).
 */
final class NeighbourPrompt {

	private NeighbourPrompt() {}

	/**
	 * @param logits the previous plane's logits on the whole plane, or null for none
	 * @param box whether to add the previous bounding box
	 * @param dx the move expected from the previous plane to this one, in pixels (0 for none)
	 */
	static Prompt from(BinaryMask previous, LowResMask logits, boolean box, double dx, double dy) {
		int w = previous.width(), h = previous.height();
		byte[] bits = previous.data();
		boolean[] inside = new boolean[bits.length];
		for (int i = 0; i < bits.length; i++)
			inside[i] = bits[i] != 0;
		int[] deepest = DistanceTransform.deepestPixel(inside, w, h);
		int[] bounds = previous.boundingBox();
		if (deepest == null || bounds == null) throw new IllegalArgumentException("no prompt from an empty mask");
		// Pixel edges for the box and the pixel centre for the point (Prompt's coordinates).
		Prompt.Builder b = Prompt.builder()
			.foreground(clamp(deepest[0] + 0.5 + dx, w), clamp(deepest[1] + 0.5 + dy, h));
		double x0 = clamp(bounds[0] + dx, w), y0 = clamp(bounds[1] + dy, h);
		double x1 = clamp(bounds[0] + bounds[2] + dx, w), y1 = clamp(bounds[1] + bounds[3] + dy, h);
		// A box moved off the image has no size left: the point alone is the prompt then.
		if (box && x1 > x0 && y1 > y0) b.box(x0, y0, x1, y1);
		if (logits != null) b.mask(logits);
		return b.build();
	}

	private static double clamp(double v, int size) {
		return Math.max(0, Math.min(size, v));
	}

	/** The centroid {x, y} of a non-empty mask. */
	static double[] centroid(BinaryMask m) {
		double sx = 0, sy = 0;
		long n = 0;
		byte[] bits = m.data();
		for (int i = 0; i < bits.length; i++)
			if (bits[i] != 0) {
				sx += i % m.width();
				sy += i / m.width();
				n++;
			}
		return new double[] { sx / n, sy / n };
	}
}
