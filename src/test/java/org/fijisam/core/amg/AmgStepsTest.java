package org.fijisam.core.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.MaskPostprocessor;
import org.fijisam.core.ResizeGeometry;
import org.junit.jupiter.api.Test;

/** Each step of automatic mask generation against a hand-computed answer. */
class AmgStepsTest {

	@Test
	void pointGridIsOffsetByHalfACellWithXFastest() {
		assertArrayEquals(new double[] { 0.25, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.75 }, PointGrid.normalized(2),
			1e-12);
		assertArrayEquals(new double[] { 0.5, 0.5 }, PointGrid.normalized(1), 1e-12);
		double[] g = PointGrid.normalized(32);
		assertEquals(2 * 1024, g.length);
		assertEquals(1 / 64.0, g[0], 1e-12);
		assertEquals(3 / 64.0, g[2], 1e-12, "second point moves in x");
		assertEquals(1 / 64.0, g[3], 1e-12);
		assertEquals(63 / 64.0, g[2 * 1023], 1e-12);
		assertArrayEquals(new double[] { 50, 20, 150, 20, 50, 60, 150, 60 }, PointGrid.scaled(2, 200, 80), 1e-9);
		assertEquals(32, PointGrid.pointsForLayer(32, 2, 0));
		assertEquals(16, PointGrid.pointsForLayer(32, 2, 1));
		assertEquals(8, PointGrid.pointsForLayer(32, 2, 2));
	}

	@Test
	void gridOfZeroPointsIsAClearError() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AmgParameters.defaults()
			.withPointsPerSide(0));
		assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
		assertEquals(1, AmgParameters.defaults().withPointsPerSide(1).pointsPerSide());
	}

	/** 1000 x 800, overlap ratio 512/1500, worked out by hand from the reference formula. */
	@Test
	void cropLayoutMatchesTheReferenceFormula() {
		double ratio = 512.0 / 1500.0;
		assertEquals(List.of(new CropBox(0, 0, 1000, 800, 0)), CropBox.layout(1000, 800, 0, ratio));
		// Layer 1: overlap int(0.3413 * 800 * 1) = 273, crop ceil((273 + 1000) / 2) = 637 x ceil((273 + 800) / 2) = 537.
		List<CropBox> one = CropBox.layout(1000, 800, 1, ratio);
		assertEquals(List.of(new CropBox(0, 0, 1000, 800, 0), new CropBox(0, 0, 637, 537, 1), new CropBox(0, 264, 637,
			800, 1), new CropBox(364, 0, 1000, 537, 1), new CropBox(364, 264, 1000, 800, 1)), one);
		// Layer 2: overlap int(0.3413 * 800 * 0.5) = 136, crop ceil((408 + 1000) / 4) = 352 x ceil((408 + 800) / 4) = 302,
		// steps 216 and 166.
		List<CropBox> two = CropBox.layout(1000, 800, 2, ratio);
		assertEquals(1 + 4 + 16, two.size());
		int[] x0 = { 0, 216, 432, 648 }, y0 = { 0, 166, 332, 498 };
		int k = 5;
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++)
				assertEquals(new CropBox(x0[i], y0[j], Math.min(x0[i] + 352, 1000), Math.min(y0[j] + 302, 800), 2), two.get(
					k++));
		assertEquals(new CropBox(648, 498, 1000, 800, 2), two.get(20));
	}

	@Test
	void nmsKeepsTheHigherScore() {
		double[][] boxes = { { 0, 0, 10, 10 }, { 1, 1, 11, 11 }, { 50, 50, 60, 60 }, { 0, 0, 10, 5 } };
		// Box 1 overlaps box 0 with IoU 81 / 119 = 0.68; box 3 with box 0: 50 / 100 = 0.5.
		assertArrayEquals(new int[] { 1, 2, 3 }, BoxNms.keep(boxes, new double[] { 0.5, 0.9, 0.7, 0.6 }, 0.6));
		assertArrayEquals(new int[] { 1, 2, 3, 0 }, BoxNms.keep(boxes, new double[] { 0.5, 0.9, 0.7, 0.6 }, 0.7));
		assertArrayEquals(new int[] { 0, 2 }, BoxNms.keep(boxes, new double[] { 0.95, 0.9, 0.7, 0.6 }, 0.45));
		assertEquals(81.0 / 119.0, BoxNms.iou(boxes[0], boxes[1]), 1e-12);
		assertArrayEquals(new int[] { 0 }, BoxNms.keep(new double[][] { { 0, 0, 4, 4 }, { 0, 0, 4, 4 } },
			new double[] { 1, 1 }, 0.7), "ties keep the earlier box");
	}

	@Test
	void stabilityScoreOfAHandMadeLogitMap() {
		// 4 x 4 logits in an 8 x 8 model frame (image 8 x 8): > +1: 5, 2, 1.5 (3 pixels);
		// > -1 also 1.0, 0, -0.5 (6 pixels); -1.0 exactly is outside both.
		float[] logits = { 5, 2, 1.5f, 1, 0, -0.5f, -1, -5, -5, -5, -5, -5, -5, -5, -5, -5 };
		MaskUpsampler u = new MaskUpsampler(4, new ResizeGeometry(8, 8, 8));
		assertEquals(0.5f, u.stability(logits, 1f), 1e-6);
		assertEquals(2 / 7f, u.stability(logits, 1.6f), 1e-6, "offset 1.6: inner 5, 2; outer adds 1.5, 1, 0, -0.5, -1");
		assertEquals(MaskPostprocessor.stabilityScore(logits, 0, 1), u.stability(logits, 1f), 1e-6);
		// An 8 x 4 image fills only the top half of the frame: rows 2..3 of the map are padding.
		float[] padded = { -5, -5, -5, -5, 2, 2, -5, -5, 9, 9, 9, 9, 9, 9, 9, 9 };
		MaskUpsampler half = new MaskUpsampler(4, new ResizeGeometry(8, 4, 8));
		assertEquals(1f, half.stability(padded, 1f), 1e-6, "padding rows are ignored");
		assertEquals(0f, u.stability(new float[16], 1f), "0 logits everywhere: empty inner, 0 / 16");
	}

	@Test
	void windowedUpsamplingEqualsTheFullPostprocessing() {
		Random r = new Random(7);
		int l = 16, s = 64;
		int[][] sizes = { { 64, 64 }, { 100, 37 }, { 37, 100 }, { 64, 30 }, { 250, 250 }, { 13, 9 } };
		for (int[] size : sizes) {
			ResizeGeometry g = new ResizeGeometry(size[0], size[1], s);
			MaskUpsampler u = new MaskUpsampler(l, g);
			for (int trial = 0; trial < 20; trial++) {
				// A blob plus noise: positive regions of every shape, some touching the padding.
				float[] logits = blob(r, l, 6, 1, trial % 3 == 0 ? 2 : 0);
				BinaryMask full = MaskPostprocessor.toMask(logits, l, g);
				LocalMask expected = LocalMask.of(full);
				LocalMask got = u.upsample(logits);
				String what = Arrays.toString(size) + " trial " + trial;
				if (expected == null) {
					assertNull(got, what);
					continue;
				}
				assertNotNull(got, what);
				assertArrayEquals(expected.xywh(), got.xywh(), what);
				assertArrayEquals(expected.bits(), got.bits(), what);
			}
		}
		assertNull(new MaskUpsampler(l, new ResizeGeometry(64, 64, s)).upsample(new float[l * l]));
	}

	/**
	 * Logits of an l x l disc at a random place, radius 1..1+maxExtra: scale * (radius - distance),
	 * plus Gaussian noise of the given standard deviation where noise > 0.
	 */
	static float[] blob(Random r, int l, double maxExtra, double scale, double noise) {
		float[] logits = new float[l * l];
		double cx = r.nextDouble() * l, cy = r.nextDouble() * l, rad = 1 + r.nextDouble() * maxExtra;
		for (int y = 0; y < l; y++)
			for (int x = 0; x < l; x++)
				logits[y * l + x] = (float) (scale * (rad - Math.hypot(x - cx, y - cy)) + (noise > 0 ? r.nextGaussian() *
					noise : 0));
		return logits;
	}

	@Test
	void stabilityOnUpsampledLogitsEqualsTheReferenceDefinition() {
		Random r = new Random(11);
		int l = 16, s = 64;
		for (int[] size : new int[][] { { 64, 64 }, { 100, 37 }, { 37, 100 }, { 250, 250 } }) {
			ResizeGeometry g = new ResizeGeometry(size[0], size[1], s);
			MaskUpsampler u = new MaskUpsampler(l, g);
			for (int trial = 0; trial < 20; trial++) {
				float[] logits = blob(r, l, 5, 3, 0);
				float[] full = MaskPostprocessor.upsampleLogits(logits, l, g);
				long inner = 0, outer = 0;
				for (float v : full) {
					if (v > 1) inner++;
					if (v > -1) outer++;
				}
				MaskUpsampler.Scored scored = u.score(logits, 1f);
				String what = Arrays.toString(size) + " trial " + trial;
				assertEquals(outer == 0 ? 0f : inner / (float) outer, scored.stability, 1e-6, what);
				assertTrue(scored.hasMask, what);
				LocalMask expected = LocalMask.of(MaskPostprocessor.toMask(logits, l, g));
				if (expected == null) assertNull(scored.mask, what);
				else assertArrayEquals(expected.bits(), scored.mask.bits(), what);
			}
		}
	}

	@Test
	void cropEdgeFilterSparesImageEdges() {
		CropBox crop = new CropBox(0, 0, 500, 400, 1);
		// Last column 495: 5 px from the crop's right side, which is inside the 1000 px image.
		assertTrue(AutoMaskGenerator.nearCropEdge(square(400, 100, 96), crop, 1000, 800));
		// Touching x = 0 and y = 0: crop sides that are image sides.
		assertFalse(AutoMaskGenerator.nearCropEdge(square(0, 0, 50), crop, 1000, 800));
		// Well inside.
		assertFalse(AutoMaskGenerator.nearCropEdge(square(200, 200, 50), crop, 1000, 800));
		// Last row 379: 21 px from the crop's bottom (400), outside the 20 px tolerance; 380 is within.
		assertFalse(AutoMaskGenerator.nearCropEdge(square(200, 330, 50), crop, 1000, 800));
		assertTrue(AutoMaskGenerator.nearCropEdge(square(200, 331, 50), crop, 1000, 800));
		// Same crop as the image: nothing is near a crop-only edge.
		assertFalse(AutoMaskGenerator.nearCropEdge(square(400, 100, 96), new CropBox(0, 0, 496, 400, 0), 496, 400));
	}

	static LocalMask square(int x, int y, int size) {
		byte[] b = new byte[size * size];
		Arrays.fill(b, (byte) 1);
		return LocalMask.of(b, size, size, x, y);
	}

	@Test
	void cleanupFillsSmallHolesAndRemovesSmallIslands() {
		int w = 40, h = 40;
		byte[] bits = new byte[w * h];
		for (int y = 5; y < 30; y++)
			for (int x = 5; x < 30; x++)
				bits[y * w + x] = 1;
		bits[15 * w + 15] = 0; // 1-pixel hole
		bits[16 * w + 15] = 0; // 2 pixels
		for (int y = 34; y < 36; y++)
			for (int x = 34; x < 36; x++)
				bits[y * w + x] = 1; // 4-pixel island
		LocalMask m = LocalMask.of(bits, w, h, 100, 100);
		assertEquals(625 - 2 + 4, m.area());
		MaskCleanup.Result r = MaskCleanup.clean(m, 10, 1000, 1000);
		assertTrue(r.changed);
		assertEquals(625, r.mask.area());
		assertArrayEquals(new int[] { 105, 105, 25, 25 }, r.mask.xywh());
		MaskCleanup.Result none = MaskCleanup.clean(r.mask, 10, 1000, 1000);
		assertFalse(none.changed);
		assertEquals(r.mask, none.mask);
		// Area 3: the 2-pixel hole is filled, the 4-pixel island stays.
		MaskCleanup.Result small = MaskCleanup.clean(m, 3, 1000, 1000);
		assertEquals(625 + 4, small.mask.area());
		// A ring's inside is a hole only when it is smaller than the area.
		LocalMask ring = ring(20, 5);
		assertEquals(ring.area(), MaskCleanup.clean(ring, 50, 1000, 1000).mask.area(), "hole of 100 px kept");
		assertEquals(400, MaskCleanup.clean(ring, 101, 1000, 1000).mask.area(), "hole of 100 px filled");
		// Every island small: the largest survives.
		MaskCleanup.Result tiny = MaskCleanup.clean(square(3, 3, 2), 10, 100, 100);
		assertEquals(4, tiny.mask.area());
		assertTrue(tiny.changed, "as in SAM, a mask made only of small islands counts as changed");
	}

	static LocalMask ring(int size, int thickness) {
		byte[] b = new byte[size * size];
		for (int y = 0; y < size; y++)
			for (int x = 0; x < size; x++)
				if (x < thickness || y < thickness || x >= size - thickness || y >= size - thickness) b[y * size + x] = 1;
		return LocalMask.of(b, size, size, 50, 50);
	}

	@Test
	void localMaskSetOperations() {
		LocalMask a = square(0, 0, 10), b = square(5, 5, 10);
		assertEquals(25, a.intersection(b));
		assertEquals(25 / 175.0, a.iou(b), 1e-12);
		LocalMask u = a.union(b);
		assertEquals(175, u.area());
		assertArrayEquals(new int[] { 0, 0, 15, 15 }, u.xywh());
		assertArrayEquals(new double[] { 5, 5, 14, 14 }, b.samBox(), 0);
		assertTrue(b.contains(14, 14) && !b.contains(15, 14));
		assertEquals(100, b.toBinaryMask(20, 20).area());
	}

	@Test
	void presetsAreData() {
		AmgParameters sam = AmgPresets.get("sam_default");
		assertEquals(AmgParameters.defaults(), sam);
		assertEquals(32, sam.pointsPerSide());
		assertEquals(64, sam.pointsPerBatch());
		assertEquals(0.88, sam.predIouThresh());
		assertEquals(0.95, sam.stabilityScoreThresh());
		assertEquals(1.0, sam.stabilityScoreOffset());
		assertEquals(0.7, sam.boxNmsThresh());
		assertEquals(0, sam.cropNLayers());
		assertEquals(0.7, sam.cropNmsThresh());
		assertEquals(512.0 / 1500.0, sam.cropOverlapRatio(), 1e-15);
		assertEquals(1, sam.cropNPointsDownscaleFactor());
		assertEquals(0, sam.minMaskRegionArea());
		assertEquals(0.95, sam.maxAreaFraction());
		AmgParameters micro = AmgPresets.get("Microscopy");
		assertTrue(micro.predIouThresh() < sam.predIouThresh());
		assertTrue(micro.minObjectSize() > 0);
		assertTrue(AmgPresets.names().containsAll(List.of("sam_default", "microscopy")));
		assertThrows(IllegalArgumentException.class, () -> AmgPresets.get("nuclei2"));
		// the no-object hint's suggestion is always looser than what was just tried
		AmgParameters relaxed = micro.withPredIouThresh(0.3).withStabilityScoreThresh(0.85).relaxed();
		assertEquals(0.15, relaxed.predIouThresh(), 1e-9);
		assertEquals(0.5, relaxed.stabilityScoreThresh(), 1e-9);
		assertEquals(0, relaxed.minObjectSize());
		assertTrue(!micro.multimaskOutput() && relaxed.multimaskOutput(), "single-mask preset: suggest three masks");
		assertEquals(0.3, sam.relaxed().predIouThresh(), 1e-9);
		assertEquals(0.5, sam.with("crop-overlap-ratio", "1/2").cropOverlapRatio());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sam.with("pred_iou_thresh", 2));
		assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> sam.with("points_per_side", 2.5));
		assertThrows(IllegalArgumentException.class, () -> sam.with("point_per_side", "3"));
	}
}
