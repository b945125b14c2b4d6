package org.fijisam.core.ais;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fijisam.core.InstanceMaps;
import org.fijisam.core.SamException;
import org.junit.jupiter.api.Test;

/** The watershed on hand-made maps whose right answer is known. */
class SeededWatershedTest {

	/** Maps of discs: foreground 0.9 inside, distances as the instance decoder is trained to give them. */
	static InstanceMaps discs(int w, int h, int[][] centresAndRadii) {
		float[] fg = new float[w * h], cd = new float[w * h], bd = new float[w * h];
		java.util.Arrays.fill(cd, 1);
		java.util.Arrays.fill(bd, 1);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int i = y * w + x;
				for (int[] c : centresAndRadii) {
					double d = Math.hypot(x - c[0], y - c[1]);
					if (d > c[2]) continue;
					// where two discs overlap, the nearer centre wins (touching objects)
					if (fg[i] > 0 && d / c[2] >= cd[i]) continue;
					fg[i] = 0.9f;
					cd[i] = (float) (d / c[2]);
					bd[i] = (float) (d / c[2]);
				}
			}
		return new InstanceMaps(w, h, fg, cd, bd);
	}

	@Test
	void touchingObjectsAreSeparatedWhereTheirBoundariesMeet() throws SamException {
		// two discs of radius 20 whose centres are 34 px apart: they overlap by 6 px
		InstanceMaps m = discs(100, 60, new int[][] { { 30, 30, 20 }, { 64, 30, 20 } });
		int[] labels = SeededWatershed.segment(m, AisParameters.defaults());
		int left = labels[30 * 100 + 30], right = labels[30 * 100 + 64];
		assertTrue(left > 0 && right > 0);
		assertNotEquals(left, right, "two objects");
		// the meeting line is halfway between the centres
		assertEquals(left, labels[30 * 100 + 46]);
		assertEquals(right, labels[30 * 100 + 48]);
		assertEquals(0, labels[0], "background stays 0");
		int areaLeft = 0, areaRight = 0;
		for (int v : labels) {
			if (v == left) areaLeft++;
			if (v == right) areaRight++;
		}
		assertEquals(areaLeft, areaRight, 0.05 * areaLeft, "symmetric");
	}

	@Test
	void noForegroundNoObjects() throws SamException {
		InstanceMaps m = discs(50, 50, new int[][] {});
		for (int v : SeededWatershed.segment(m, AisParameters.defaults()))
			assertEquals(0, v);
	}

	@Test
	void aNoiseMapWithTooManySeedsIsRefusedWithAMessage() {
		int w = 700, h = 700;
		float[] fg = new float[w * h], cd = new float[w * h], bd = new float[w * h];
		// isolated seed pixels every second row and column: 122,500 seeds
		for (int i = 0; i < w * h; i++) {
			fg[i] = 0.9f;
			boolean seed = i % w % 2 == 0 && i / w % 2 == 0;
			cd[i] = seed ? 0 : 1;
			bd[i] = seed ? 0 : 1;
		}
		SamException e = assertThrows(SamException.class, () -> SeededWatershed.segment(new InstanceMaps(w, h, fg, cd,
			bd), AisParameters.defaults()));
		assertTrue(e.getMessage().contains("seeds") && e.getMessage().contains("foreground_threshold"), e.getMessage());
	}

	@Test
	void thresholdsOutsideZeroToOneAreNamed() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AisParameters(1.5, 0.5,
			0.5));
		assertTrue(e.getMessage().contains("foreground_threshold"), e.getMessage());
	}
}
