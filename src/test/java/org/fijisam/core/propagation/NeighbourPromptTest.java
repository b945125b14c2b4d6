package org.fijisam.core.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Box;
import org.fijisam.core.LowResMask;
import org.fijisam.core.Prompt;
import org.junit.jupiter.api.Test;

/** The prompt made from the previous plane's mask. */
class NeighbourPromptTest {

	/** A 20 x 10 rectangle at (30, 40) in a 100 x 100 plane. */
	private static BinaryMask rectangle() {
		byte[] b = new byte[100 * 100];
		for (int y = 40; y < 50; y++)
			for (int x = 30; x < 50; x++)
				b[y * 100 + x] = 1;
		return new BinaryMask(100, 100, b);
	}

	@Test
	void theDeepestPointMovedByTheLastMove() {
		Prompt p = NeighbourPrompt.from(rectangle(), null, false, 0, 0);
		assertEquals(1, p.points().size());
		// The first pixel in raster order at the largest distance (5) from the background.
		assertEquals(34.5, p.points().get(0).x);
		assertEquals(44.5, p.points().get(0).y);
		assertNull(p.box());
		assertNull(p.maskInput());
		Prompt moved = NeighbourPrompt.from(rectangle(), null, false, 6, -2.5);
		assertEquals(40.5, moved.points().get(0).x);
		assertEquals(42.0, moved.points().get(0).y);
		// Never off the image.
		Prompt far = NeighbourPrompt.from(rectangle(), null, false, 500, -500);
		assertEquals(100.0, far.points().get(0).x);
		assertEquals(0.0, far.points().get(0).y);
	}

	@Test
	void boxAndLogitsWhenAsked() {
		LowResMask logits = new LowResMask(4, new float[16]);
		Prompt p = NeighbourPrompt.from(rectangle(), logits, true, 3, 1);
		Box b = p.box();
		assertEquals(33, b.x0);
		assertEquals(41, b.y0);
		assertEquals(53, b.x1);
		assertEquals(51, b.y1);
		assertSame(logits, p.maskInput());
		// A box moved off the image is left out rather than sent with no size.
		assertNull(NeighbourPrompt.from(rectangle(), null, true, 200, 0).box());
	}
}
