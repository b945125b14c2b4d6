package org.fijisam.core.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Label painting, component relabelling and COCO RLE with known answers. */
class LabelsAndRleTest {

	static GeneratedMask mask(LocalMask m, float iou) {
		return new GeneratedMask(m, iou, 0.9f, 0, 0, new int[] { 0, 0, 100, 100 });
	}

	@Test
	void smallMasksArePaintedOnTopOfLargeOnes() {
		List<GeneratedMask> masks = new ArrayList<>();
		// Given small first: painting must still put the large one underneath.
		masks.add(mask(AmgStepsTest.square(10, 10, 5), 0.9f));
		masks.add(mask(AmgStepsTest.square(0, 0, 30), 0.8f));
		LabelImage l = LabelPainter.paint(masks, 40, 40, 0);
		assertEquals(2, l.count());
		int small = l.labels()[12 * 40 + 12], large = l.labels()[1 * 40 + 1];
		assertTrue(small > 0 && large > 0 && small != large);
		ObjectStats s = l.objects().get(small - 1);
		assertEquals(25, s.area);
		assertEquals(0.9f, s.predictedIou);
		assertEquals(12.5, s.centroidX, 1e-9);
		assertEquals(900 - 25, l.objects().get(large - 1).area);
		assertEquals(1, large, "labels in raster order of the first pixel");
	}

	@Test
	void splitMasksBecomeSeveralObjectsAndSmallPiecesGo() {
		List<GeneratedMask> masks = new ArrayList<>();
		// A 30 x 30 square cut in two by a full-height bar: two pieces left and right.
		masks.add(mask(AmgStepsTest.square(0, 0, 30), 0.8f));
		byte[] bar = new byte[4 * 30];
		java.util.Arrays.fill(bar, (byte) 1);
		masks.add(mask(LocalMask.of(bar, 4, 30, 3, 0), 0.7f)); // columns 3..6: left piece 3 x 30 = 90 px
		LabelImage l = LabelPainter.paint(masks, 30, 30, 0);
		assertEquals(3, l.count());
		assertEquals(90, l.objects().get(0).area);
		assertEquals(120, l.objects().get(1).area);
		assertEquals(690, l.objects().get(2).area);
		LabelImage big = LabelPainter.paint(masks, 30, 30, 100);
		assertEquals(2, big.count(), "the 90 px piece is under the minimum size");
		assertEquals(0, big.labels()[0]);
		assertEquals(1, big.labels()[3]);
		assertEquals(2, big.labels()[29]);
		assertEquals(2, big.maxLabel());
	}

	@Test
	void relabelKeepsDiagonalNeighboursTogether() {
		int[] px = { 5, 0, 0, 0, 5, 0, 7, 0, 0 };
		LabelImage l = LabelPainter.relabel(px, 3, 3, 0, null, null);
		assertArrayEquals(new int[] { 1, 0, 0, 0, 1, 0, 2, 0, 0 }, l.labels());
	}

	@Test
	void rleIsColumnMajorAndStartsWithZeros() {
		// 3 x 2 frame (w 3, h 2), set pixels (0,0), (0,1), (2,1): column-major 1 1 | 0 0 | 0 1.
		byte[] m = { 1, 0, 0, 1, 0, 1 };
		assertArrayEquals(new int[] { 0, 2, 3, 1 }, CocoRle.encode(m, 3, 2));
		assertArrayEquals(new int[] { 0, 2, 3, 1 }, CocoRle.encode(LocalMask.of(m, 3, 2, 0, 0), 3, 2));
		assertArrayEquals(m, CocoRle.decode(new int[] { 0, 2, 3, 1 }, 3, 2));
		assertArrayEquals(new int[] { 6 }, CocoRle.encode(new byte[6], 3, 2));
		// Compressed string form, worked out by hand from pycocotools' rleToString.
		assertEquals("325", CocoRle.toString(new int[] { 3, 2, 5 }));
		assertEquals("0T3b1TN", CocoRle.toString(new int[] { 0, 100, 50, 40 }));
		assertArrayEquals(new int[] { 0, 100, 50, 40 }, CocoRle.fromString("0T3b1TN"));
	}

	@Test
	void rleRoundTripOnRandomMasks() {
		Random r = new Random(3);
		for (int t = 0; t < 50; t++) {
			int w = 1 + r.nextInt(70), h = 1 + r.nextInt(70);
			byte[] m = new byte[w * h];
			double p = r.nextDouble();
			for (int i = 0; i < m.length; i++)
				m[i] = r.nextDouble() < p ? (byte) 1 : 0;
			int[] counts = CocoRle.encode(m, w, h);
			assertArrayEquals(m, CocoRle.decode(counts, w, h));
			assertArrayEquals(counts, CocoRle.fromString(CocoRle.toString(counts)));
			LocalMask lm = LocalMask.of(m, w, h, 0, 0);
			if (lm != null) {
				// Placed in a larger frame, the same mask encodes with the offset applied.
				LocalMask moved = lm.translate(5, 7);
				byte[] framed = CocoRle.decode(CocoRle.encode(moved, w + 9, h + 11), w + 9, h + 11);
				assertArrayEquals(moved.toBinaryMask(w + 9, h + 11).data(), framed);
			}
		}
		assertNotEquals("", CocoRle.toString(new int[] { 1 << 20, 7 }));
		assertArrayEquals(new int[] { 1 << 20, 7 }, CocoRle.fromString(CocoRle.toString(new int[] { 1 << 20, 7 })));
	}
}
