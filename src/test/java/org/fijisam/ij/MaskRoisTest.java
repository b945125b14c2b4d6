package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.Rectangle;
import java.util.Random;

import ij.gui.Roi;
import ij.process.ImageProcessor;

import org.fijisam.core.BinaryMask;
import org.junit.jupiter.api.Test;

/** Mask -> ROI -> mask gives back exactly the same pixels. */
class MaskRoisTest {

	static BinaryMask rasterise(Roi roi, int w, int h) {
		byte[] d = new byte[w * h];
		Rectangle r = roi.getBounds();
		ImageProcessor m = roi.getMask();
		for (int y = 0; y < r.height; y++)
			for (int x = 0; x < r.width; x++) {
				int xx = r.x + x, yy = r.y + y;
				if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
				if (m == null || m.get(x, y) != 0) d[yy * w + xx] = 1;
			}
		return new BinaryMask(w, h, d);
	}

	static void assertRoundTrip(BinaryMask mask) {
		Roi roi = MaskRois.toRoi(mask);
		BinaryMask back = rasterise(roi, mask.width(), mask.height());
		assertEquals(mask.area(), back.area(), "area after re-rasterising");
		assertEquals(1.0, mask.iou(back), 0.0, "pixels after re-rasterising");
	}

	static BinaryMask paint(int w, int h, java.util.function.BiPredicate<Integer, Integer> inside) {
		byte[] d = new byte[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (inside.test(x, y)) d[y * w + x] = 1;
		return new BinaryMask(w, h, d);
	}

	@Test
	void discRingBlobsAndBordersSurviveExactly() {
		assertRoundTrip(paint(64, 48, (x, y) -> (x - 30) * (x - 30) + (y - 20) * (y - 20) < 100));
		// A ring: the hole must stay a hole.
		assertRoundTrip(paint(64, 64, (x, y) -> {
			int d = (x - 32) * (x - 32) + (y - 32) * (y - 32);
			return d < 400 && d > 64;
		}));
		// Two separate blobs, one touching the image border, and a single pixel.
		assertRoundTrip(paint(50, 40, (x, y) -> x < 10 && y < 8 || x > 30 && x < 40 && y > 20 || x == 20 &&
			y == 5));
		// Pixels touching only at corners (a checkerboard patch).
		assertRoundTrip(paint(20, 20, (x, y) -> x >= 5 && x < 12 && y >= 5 && y < 12 && (x + y) % 2 == 0));
		// Whole image.
		assertRoundTrip(paint(16, 16, (x, y) -> true));
	}

	@Test
	void randomMasksSurviveExactly() {
		Random rnd = new Random(42);
		for (int k = 0; k < 20; k++) {
			int w = 20 + rnd.nextInt(30), h = 20 + rnd.nextInt(30);
			byte[] d = new byte[w * h];
			for (int i = 0; i < d.length; i++)
				d[i] = (byte) (rnd.nextDouble() < 0.45 ? 1 : 0);
			assertRoundTrip(new BinaryMask(w, h, d));
		}
	}

	@Test
	void emptyMaskHasNoRoi() {
		assertNull(MaskRois.toRoi(new BinaryMask(8, 8, new byte[64])));
	}
}
