package org.fijisam.core.propagation;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.DistanceTransform;
import org.fijisam.core.LowResMask;
import org.fijisam.core.Prompt;

/**
 * The prompt for an object on the next plane, made from its mask on the previous one: the
 * bounding box (where it is and how large), the point deepest inside it (a point on the
 * border may fall just outside the object when it moves; the deepest one is the last to
 * leave), and the previous low-res logits as the mask prompt when there are any.
 */
final class NeighbourPrompt {

	private NeighbourPrompt() {}

	/** @param logits the previous plane's logits on the whole plane, or null */
	static Prompt from(BinaryMask previous, LowResMask logits) {
		int w = previous.width(), h = previous.height();
		byte[] bits = previous.data();
		boolean[] inside = new boolean[bits.length];
		for (int i = 0; i < bits.length; i++)
			inside[i] = bits[i] != 0;
		int[] deepest = DistanceTransform.deepestPixel(inside, w, h);
		int[] box = previous.boundingBox();
		if (deepest == null || box == null) throw new IllegalArgumentException("no prompt from an empty mask");
		// Pixel edges for the box and the pixel centre for the point (Prompt's coordinates).
		Prompt.Builder b = Prompt.builder()
			.foreground(deepest[0] + 0.5, deepest[1] + 0.5)
			.box(box[0], box[1], box[0] + box[2], box[1] + box[3]);
		if (logits != null) b.mask(logits);
		return b.build();
	}
}
