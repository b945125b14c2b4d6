package org.fijisam.core.amg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.Fixtures;
import org.fijisam.core.CancelledException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.fake.FakeSamModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the fake model (plain Java, no ONNX Runtime), which answers as the
 * "known" fixture model does: a point gives discs of radius 12 / 8 / 4 low-res px (48 / 32 / 16
 * model px) and IoU 0.60 / 0.95 / 0.70 for tokens 1..3, whatever the image shows. Stability of a disc of radius r is about
 * ((r - 1) / (r + 1))^2: 0.72, 0.60, 0.36.
 */
class AutoMaskGeneratorTest {

	static SamModel model;

	@BeforeAll
	static void load() throws Exception {
		model = FakeSamModel.known();
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** A gentle gradient: any content will do for the fixture, but not a constant plane. */
	static SamImage textured(int w, int h) {
		float[] c = new float[w * h];
		for (int i = 0; i < c.length; i++)
			c[i] = (i % w) * 200f / w + (i / w) % 7;
		return SamImages.ofNormalised(w, h, c, c, c);
	}

	@Test
	void twoByTwoGridGivesFourDiscs() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5);
		List<Double> fractions = new ArrayList<>();
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(256, 256), (f, m) -> fractions
			.add(f), () -> false);
		// Only token 2 (IoU 0.95, radius 32 px) passes IoU > 0.9.
		assertEquals(4, r.masks().size(), r.masks().toString());
		double[][] centres = { { 64, 64 }, { 192, 64 }, { 64, 192 }, { 192, 192 } };
		for (int i = 0; i < 4; i++) {
			GeneratedMask m = r.masks().get(i);
			assertEquals(0.95f, m.predictedIou(), 1e-6);
			assertEquals(Math.PI * 32 * 32, m.area(), Math.PI * 32 * 32 * 0.06);
			int[] b = m.bbox();
			assertEquals(centres[i][0], b[0] + b[2] / 2.0, 1.5, "disc " + i);
			assertEquals(centres[i][1], b[1] + b[3] / 2.0, 1.5, "disc " + i);
			assertEquals(centres[i][0], m.pointCoords()[0], 1e-9);
			assertEquals(0.6, m.stabilityScore(), 0.05);
			assertEquals(List.of(0, 0, 256, 256), List.of(m.cropBox()[0], m.cropBox()[1], m.cropBox()[2], m.cropBox()[3]));
		}
		LabelImage labels = r.labels();
		assertEquals(4, labels.count());
		assertEquals(1, labels.labels()[64 * 256 + 64]);
		assertEquals(0, labels.labels()[128 * 256 + 128]);
		AmgTimings t = r.timings();
		assertEquals(1, t.crops());
		assertEquals(4, t.prompts());
		assertEquals(12, t.candidates(), "3 masks per point");
		assertTrue(t.encoderMs() > 0 && t.decoderMs() > 0 && t.totalMs() >= t.encoderMs());
		assertEquals(1.0, fractions.get(fractions.size() - 1));
	}

	@Test
	void withoutMultimaskOutputEachPointGivesItsSingleMask() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.85)
			.withStabilityScoreThresh(0.5).with("multimask_output", 0);
		assertTrue(!p.multimaskOutput());
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(256, 256));
		// Token 0: IoU 0.90, a disc of radius 32 px around the point; nothing else is decoded.
		assertEquals(4, r.masks().size(), r.masks().toString());
		for (GeneratedMask m : r.masks()) {
			assertEquals(0.90f, m.predictedIou(), 1e-6);
			assertEquals(Math.PI * 32 * 32, m.area(), Math.PI * 32 * 32 * 0.06);
		}
		assertEquals(4, r.timings().candidates(), "1 mask per point");
	}

	@Test
	void lowerThresholdsKeepWholeAndPartAndPaintSmallOnTop() throws Exception {
		// Tokens 1 (r 48 px, IoU 0.6) and 2 (r 32 px) pass; token 3 fails stability (0.36).
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.5)
			.withStabilityScoreThresh(0.5);
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(256, 256));
		assertEquals(8, r.masks().size());
		LabelImage labels = r.labels();
		// Each disc of 32 px lies on top of its ring of 48 px: 4 discs + 4 rings; the rings of
		// neighbouring points touch (centres 128 px apart, radius 48: no), so 8 objects.
		assertEquals(8, labels.count());
		int centre = labels.labels()[64 * 256 + 64], ring = labels.labels()[64 * 256 + 64 + 40];
		assertTrue(centre > 0 && ring > 0 && centre != ring);
		ObjectStats disc = labels.objects().get(centre - 1);
		assertEquals(0.95f, disc.predictedIou, 1e-6);
		assertEquals(64, disc.centroidX, 1.0);
	}

	@Test
	void singlePointGridAndNonSquareImage() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(1).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5);
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(400, 300));
		assertEquals(1, r.masks().size());
		GeneratedMask m = r.masks().get(0);
		// Radius 32 model px = 50 image px at scale 256 / 400.
		assertEquals(Math.PI * 50 * 50, m.area(), Math.PI * 50 * 50 * 0.06);
		assertEquals(200, m.pointCoords()[0], 1e-9);
		assertEquals(150, m.pointCoords()[1], 1e-9);
	}

	@Test
	void constantImageHasNoObjects() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(4).withPredIouThresh(0.1)
			.withStabilityScoreThresh(0.1);
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(Fixtures.grey(200, 100, 0));
		assertEquals(0, r.masks().size());
		assertEquals(0, r.labels().count());
		assertEquals(0, new AutoMaskGenerator(new SamPredictor(model), p).generate(Fixtures.grey(64, 64, 255)).masks()
			.size());
	}

	@Test
	void cropLayersRunAndKeepOneMaskPerObject() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5).withCropNLayers(1);
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(512, 512));
		assertEquals(5, r.timings().crops());
		assertEquals(20, r.timings().prompts());
		// No two kept masks overlap much: NMS across crops removed duplicates.
		List<GeneratedMask> ms = r.masks();
		for (int i = 0; i < ms.size(); i++)
			for (int j = i + 1; j < ms.size(); j++)
				assertTrue(ms.get(i).mask().iou(ms.get(j).mask()) < 0.7, i + " vs " + j);
		assertTrue(ms.size() >= 4);
	}

	@Test
	void cleanupAndMaximumArea() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(1).withPredIouThresh(0.5)
			.withStabilityScoreThresh(0.5).withMinMaskRegionArea(100);
		// 64 x 64 image: the 48 px disc of token 1 covers the whole image and is dropped (>= 95 %).
		AmgResult r = new AutoMaskGenerator(new SamPredictor(model), p.with("max_area_fraction", 0.95)).generate(
			textured(64, 64));
		for (GeneratedMask m : r.masks())
			assertTrue(m.area() < 0.95 * 64 * 64, m.toString());
		AmgResult all = new AutoMaskGenerator(new SamPredictor(model), p.with("max_area_fraction", 1.0)).generate(
			textured(64, 64));
		assertTrue(all.masks().size() >= r.masks().size());
	}

	@Test
	void cancellationStops() {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2);
		assertThrows(CancelledException.class, () -> new AutoMaskGenerator(new SamPredictor(model), p).generate(textured(
			64, 64), null, () -> true));
	}

	@Test
	void tiledPlaneRunsEndToEnd() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5);
		TiledAutoSegmenter tiled = new TiledAutoSegmenter(new AutoMaskGenerator(new SamPredictor(model), p), Tiling.of(
			200, 24));
		AmgResult r = tiled.generate(textured(400, 200), null, null);
		assertEquals(2, r.timings().crops(), "two tiles");
		assertTrue(r.masks().size() >= 4 && r.masks().size() <= 8, r.masks().toString());
		for (int i = 0; i < r.masks().size(); i++)
			for (int j = i + 1; j < r.masks().size(); j++)
				assertTrue(r.masks().get(i).mask().iou(r.masks().get(j).mask()) < 0.5);
	}

	@Test
	void stackIsSegmentedSliceBySliceWithLinkedLabels() throws Exception {
		List<net.imglib2.RandomAccessibleInterval<net.imglib2.type.numeric.integer.UnsignedShortType>> planes =
			new ArrayList<>();
		for (int z = 0; z < 3; z++) {
			short[] px = new short[128 * 128];
			for (int i = 0; i < px.length; i++)
				px[i] = (short) (100 * z + i % 128);
			planes.add(net.imglib2.img.array.ArrayImgs.unsignedShorts(px, 128, 128));
		}
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.9)
			.withStabilityScoreThresh(0.5);
		StackAutoSegmenter stack = new StackAutoSegmenter(new TiledAutoSegmenter(new AutoMaskGenerator(new SamPredictor(
			model), p), Tiling.auto()), true, 0.5);
		List<LabelImage> out = new ArrayList<>();
		List<Double> fractions = new ArrayList<>();
		AmgTimings t = stack.run(new GreySliceSource<>(planes), org.fijisam.core.Normalization.auto(), (i, labels,
			r) -> out.add(labels), (f, m) -> fractions.add(f), null);
		assertEquals(3, out.size());
		assertEquals(3, t.crops());
		assertEquals(4, out.get(0).count());
		for (LabelImage l : out) {
			assertEquals(4, l.maxLabel(), "the same four discs keep their labels through the stack");
			assertEquals(out.get(0).labels()[32 * 128 + 32], l.labels()[32 * 128 + 32]);
		}
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		for (int i = 1; i < fractions.size(); i++)
			assertTrue(fractions.get(i) >= fractions.get(i - 1) - 1e-9, "progress never goes back");
	}

	@Test
	void decodeOnceSelectManyEqualsGenerate() throws Exception {
		AmgParameters loose = AmgParameters.defaults().withPointsPerSide(2).withPredIouThresh(0.5)
			.withStabilityScoreThresh(0.5);
		AutoMaskGenerator g = new AutoMaskGenerator(new SamPredictor(model), loose);
		AutoMaskGenerator.Decoded d = g.decode(textured(256, 256), null, null);
		assertEquals(8, d.size());
		AmgParameters strict = loose.withPredIouThresh(0.9);
		AmgResult selected = g.select(d, strict);
		AmgResult direct = new AutoMaskGenerator(new SamPredictor(model), strict).generate(textured(256, 256));
		assertEquals(direct.masks().size(), selected.masks().size());
		for (int i = 0; i < direct.masks().size(); i++)
			assertEquals(List.of(direct.masks().get(i).bbox()[0], direct.masks().get(i).area()), List.of(selected.masks()
				.get(i).bbox()[0], selected.masks().get(i).area()));
		assertEquals(8, g.select(d, loose).masks().size(), "selection leaves the decoded candidates untouched");
		assertThrows(IllegalArgumentException.class, () -> g.select(d, loose.withPredIouThresh(0.3)));
		assertThrows(IllegalArgumentException.class, () -> g.select(d, loose.withPointsPerSide(3)));
	}

	@Test
	void tinyAndThinImagesWithDeepCropLayers() throws Exception {
		AmgParameters p = AmgParameters.defaults().withPointsPerSide(4).withPredIouThresh(0.5)
			.withStabilityScoreThresh(0.3).withCropNLayers(2).withMinMaskRegionArea(5);
		AutoMaskGenerator g = new AutoMaskGenerator(new SamPredictor(model), p);
		for (int[] size : new int[][] { { 2, 2 }, { 3, 3 }, { 1, 50 }, { 50, 1 }, { 7, 300 } }) {
			AmgResult r = g.generate(textured(size[0], size[1]));
			LabelImage l = r.labels();
			assertEquals(size[0] * size[1], l.labels().length);
		}
	}
}
