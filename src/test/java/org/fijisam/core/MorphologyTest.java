package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class MorphologyTest {

	@Test
	void componentsFourAndEightConnected() {
		byte[] m = {
			1, 1, 0, 0,
			0, 0, 1, 0,
			1, 0, 0, 1 };
		ConnectedComponents.Result four = ConnectedComponents.label(m, 4, 3, false);
		assertEquals(4, four.count);
		ConnectedComponents.Result eight = ConnectedComponents.label(m, 4, 3, true);
		assertEquals(2, eight.count);
		assertArrayEquals(new int[] { 1, 1, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1 }, eight.labels);
		assertEquals(4, eight.areas[1]);
		// A U shape merges two provisional labels.
		byte[] u = { 1, 0, 1, 1, 0, 1, 1, 1, 1 };
		assertEquals(1, ConnectedComponents.label(u, 3, 3, false).count);
	}

	@Test
	void distanceTransformMatchesBruteForce() {
		Random r = new Random(3);
		int w = 23, h = 17;
		boolean[] in = new boolean[w * h];
		for (int i = 0; i < in.length; i++)
			in[i] = r.nextDouble() < 0.8;
		float[] d = DistanceTransform.squared(in, w, h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				double best = Double.MAX_VALUE;
				// Background pixels and the frame just outside the image.
				for (int v = -1; v <= h; v++)
					for (int u = -1; u <= w; u++) {
						boolean bg = u < 0 || v < 0 || u >= w || v >= h || !in[v * w + u];
						if (bg) best = Math.min(best, (u - x) * (u - x) + (v - y) * (v - y));
					}
				assertEquals(in[y * w + x] ? best : 0, d[y * w + x], 1e-3, "at " + x + "," + y);
			}
		}
	}
}
