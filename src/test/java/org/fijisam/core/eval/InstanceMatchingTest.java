package org.fijisam.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.fijisam.core.BinaryMask;
import org.junit.jupiter.api.Test;

class InstanceMatchingTest {

	/** Paints a w x h rectangle with a label into a 20 x 10 image. */
	static void rect(int[] img, int label, int x, int y, int w, int h) {
		for (int j = y; j < y + h; j++)
			for (int i = x; i < x + w; i++)
				img[j * 20 + i] = label;
	}

	@Test
	void segmentationAccuracyOnHandMadeLabels() {
		int[] truth = new int[200], pred = new int[200];
		rect(truth, 1, 0, 0, 4, 5); // 20 px
		rect(truth, 2, 10, 0, 5, 4); // 20 px
		rect(truth, 3, 0, 6, 3, 3); // missed entirely
		rect(pred, 7, 0, 0, 4, 4); // IoU 16/20 = 0.8 with object 1
		rect(pred, 9, 10, 0, 5, 4); // IoU 1 with object 2
		rect(pred, 4, 16, 6, 2, 2); // false positive
		InstanceMatching m = InstanceMatching.of(truth, pred);
		assertEquals(3, m.trueCount());
		assertEquals(3, m.predictedCount());
		assertEquals(2, m.truePositives(0.5));
		assertEquals(2 / 4.0, m.accuracy(0.5), 1e-12); // TP 2, FP 1, FN 1
		assertEquals(2 / 4.0, m.accuracy(0.8), 1e-12);
		assertEquals(1 / 5.0, m.accuracy(0.85), 1e-12); // TP 1, FP 2, FN 2
		// 7 thresholds (0.50..0.80) at 0.5, 3 (0.85..0.95) at 0.2.
		assertEquals((7 * 0.5 + 3 * 0.2) / 10, m.meanAccuracy(), 1e-12);
		assertEquals(1.0, InstanceMatching.of(new int[4], new int[4]).meanAccuracy(), 0);
	}

	@Test
	void objectsInteriorPointsAndCorrections() {
		int[] labels = new int[200];
		rect(labels, 5, 2, 1, 7, 7);
		List<ObjectMask> objects = ObjectMask.all(labels, 20, 10);
		assertEquals(1, objects.size());
		ObjectMask o = objects.get(0);
		assertArrayEquals(new int[] { 5, 4 }, o.deepestPixel(), "centre of the 7x7 square");
		// A prediction covering only the left 3 columns: the missed part is the largest error.
		byte[] bits = new byte[200];
		for (int y = 1; y < 8; y++)
			for (int x = 2; x < 5; x++)
				bits[y * 20 + x] = 1;
		BinaryMask pred = new BinaryMask(20, 10, bits);
		assertEquals(21 / 49.0, o.iou(pred), 1e-12);
		int[] fix = o.correction(pred);
		assertEquals(1, fix[2], "missed region: positive point");
		assertEquals(true, fix[1] >= 2 && fix[1] <= 6, "two pixels from the region's edges: " + fix[1]);
		assertEquals(true, fix[0] >= 6 && fix[0] <= 7, "inside the missed columns 5..8: " + fix[0]);
		// A false region outside the object gives a negative point.
		for (int y = 1; y < 8; y++)
			for (int x = 2; x < 9; x++)
				bits[y * 20 + x] = 1;
		for (int y = 0; y < 10; y++)
			for (int x = 12; x < 18; x++)
				bits[y * 20 + x] = 1;
		int[] neg = o.correction(pred);
		assertEquals(0, neg[2]);
		assertEquals(true, neg[0] >= 12 && neg[0] < 18);
		assertEquals(null, o.correction(new BinaryMask(20, 10, toBytes(labels))));
	}

	static byte[] toBytes(int[] labels) {
		byte[] b = new byte[labels.length];
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) (labels[i] != 0 ? 1 : 0);
		return b;
	}
}
