package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;

import org.fijisam.Fixtures;
import org.fijisam.core.BinaryMask;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.ModelException;
import org.fijisam.core.ObjectZoom;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.core.ZoomingSegmenter;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end prompted segmentation through real ONNX Runtime sessions on the "known" fixture
 * (input 256, low-res 64; token 0 = disc of radius 8 low-res px = 32 model px around the
 * first foreground point; tokens 1..3 = radii 12, 8, 4; IoU 0.90, 0.60, 0.95, 0.70).
 */
class PromptedSegmentationTest {

	static OnnxSamModel batched;
	static OnnxSamModel loop;

	@BeforeAll
	static void load() throws Exception {
		batched = Fixtures.known();
		loop = Fixtures.knownWithoutBatch();
		assertTrue(batched.batchedDecoder());
		assertTrue(!loop.batchedDecoder());
	}

	@AfterAll
	static void close() {
		batched.close();
		loop.close();
	}

	/** Centroid and area of a mask. */
	static double[] stats(BinaryMask m) {
		double sx = 0, sy = 0;
		int n = 0;
		for (int y = 0; y < m.height(); y++)
			for (int x = 0; x < m.width(); x++)
				if (m.get(x, y)) {
					sx += x + 0.5;
					sy += y + 0.5;
					n++;
				}
		return new double[] { sx / n, sy / n, n };
	}

	private void checkDisc(int width, int height, double px, double py) throws Exception {
		SamPredictor p = new SamPredictor(batched);
		ImageEmbedding e = p.embed(Fixtures.grey(width, height, 100));
		Segmentation s = p.segment(e, Prompt.point(px, py), MaskSelection.SINGLE);
		BinaryMask m = s.bestMask();
		assertEquals(width, m.width());
		assertEquals(height, m.height());
		double[] st = stats(m);
		// Token 0 is a disc of 32 px in the 256 frame: radius 32 / scale in original pixels.
		double radius = 32 * Math.max(width, height) / 256.0;
		assertEquals(px, st[0], radius * 0.05 + 0.5, "centroid x for " + width + "x" + height);
		assertEquals(py, st[1], radius * 0.05 + 0.5, "centroid y for " + width + "x" + height);
		assertEquals(Math.PI * radius * radius, st[2], Math.PI * radius * radius * 0.08, "area");
	}

	@Test
	void pointLandsWhereClickedOnWideAndTallImages() throws Exception {
		checkDisc(512, 256, 300.5, 100.5);
		checkDisc(256, 512, 100.5, 300.5);
		checkDisc(1000, 600, 700.5, 250.5);
		checkDisc(600, 1000, 250.5, 700.5);
	}

	@Test
	void extremeAspectRatios() throws Exception {
		SamPredictor p = new SamPredictor(batched);
		// 5000 x 300: the model frame is 256 x 15; a disc of 32 model px spans the full height.
		ImageEmbedding wide = p.embed(Fixtures.grey(5000, 300, 50));
		BinaryMask m = p.segment(wide, Prompt.point(2500, 150), MaskSelection.SINGLE).bestMask();
		assertEquals(5000, m.width());
		double[] st = stats(m);
		assertEquals(2500, st[0], 15);
		int[] box = m.boundingBox();
		double radius = 32 * 5000 / 256.0;
		assertEquals(2 * radius, box[2], radius * 0.1);
		// 1-pixel-wide image: one column, mask of the rows near the point.
		ImageEmbedding thin = p.embed(Fixtures.grey(1, 300, 50));
		BinaryMask t = p.segment(thin, Prompt.point(0.5, 150.5), MaskSelection.SINGLE).bestMask();
		assertEquals(1, t.width());
		assertEquals(300, t.height());
		assertTrue(t.get(0, 150));
		assertTrue(!t.get(0, 0) && !t.get(0, 299));
	}

	@Test
	void boxGivesTheRectangle() throws Exception {
		SamPredictor p = new SamPredictor(batched);
		ImageEmbedding e = p.embed(Fixtures.grey(512, 256, 100));
		Segmentation s = p.segment(e, Prompt.box(80, 80, 240, 200), MaskSelection.AUTO);
		assertEquals(0, s.best().token(), "a box alone is not ambiguous: single-mask output");
		int[] bb = s.bestMask().boundingBox();
		// Box edges in original pixels are multiples of 8 (= 4 low-res px at scale 0.5).
		assertArrayEquals(new int[] { 80, 80, 160, 120 }, bb, "box " + java.util.Arrays.toString(bb));
	}

	@Test
	void multimaskSelection() throws Exception {
		SamPredictor p = new SamPredictor(batched);
		ImageEmbedding e = p.embed(Fixtures.grey(256, 256, 100));
		Prompt point = Prompt.point(130, 82);
		assertEquals(2, p.segment(e, point, MaskSelection.AUTO).best().token(), "lone point: best score");
		assertEquals(2, p.segment(e, point, MaskSelection.BEST_SCORE).best().token());
		assertEquals(1, p.segment(e, point, MaskSelection.LARGEST).best().token());
		assertEquals(3, p.segment(e, point, MaskSelection.SMALLEST).best().token());
		assertEquals(0, p.segment(e, point, MaskSelection.SINGLE).best().token());
		Segmentation all = p.segment(e, point, MaskSelection.ALL);
		assertEquals(3, all.selected().size());
		List<BinaryMask> masks = all.selectedMasks();
		assertTrue(masks.get(0).area() > masks.get(1).area() && masks.get(1).area() > masks.get(2).area(),
			"whole > part > sub-part");
		assertEquals(0.95f, all.selected().get(1).predictedIou(), 1e-6);
		// Two points: SAM recommends the single mask.
		Prompt two = Prompt.builder().foreground(130, 82).foreground(140, 90).build();
		assertEquals(0, p.segment(e, two, MaskSelection.AUTO).best().token());
		// Stability |logit > 1| / |logit > -1| of a disc of radius r: about ((r-1)/(r+1))^2.
		List<MaskCandidate> c = all.candidates();
		assertEquals(121.0 / 169.0, c.get(1).stability(), 0.05);
		assertEquals(9.0 / 25.0, c.get(3).stability(), 0.08);
	}

	@Test
	void negativePointCarvesAHole() throws Exception {
		SamPredictor p = new SamPredictor(batched);
		ImageEmbedding e = p.embed(Fixtures.grey(256, 256, 100));
		BinaryMask plain = p.segment(e, Prompt.point(128, 128), MaskSelection.LARGEST).bestMask();
		Prompt withNeg = Prompt.builder().foreground(128, 128).background(160, 128).build();
		BinaryMask carved = p.segment(e, withNeg, MaskSelection.LARGEST).bestMask();
		assertTrue(plain.get(160, 128));
		assertTrue(!carved.get(160, 128), "the background point is excluded");
		assertTrue(carved.area() < plain.area());
	}

	@Test
	void refinementFeedsBackTheLowResLogits() throws Exception {
		SamPredictor p = new SamPredictor(batched);
		ImageEmbedding e = p.embed(Fixtures.grey(300, 200, 100));
		Segmentation first = p.segment(e, Prompt.point(150, 100), MaskSelection.LARGEST);
		Segmentation second = p.segment(e, first.refine().withPoint(160, 100, true), MaskSelection.SINGLE);
		assertEquals(0, second.best().token());
		// The fixture returns the mask input as token 0: the previous logits came back unchanged.
		assertArrayEquals(first.best().lowRes().logits(), second.best().lowRes().logits());
	}

	/** 150 prompts of 1 to 3 points (mixed point counts, so several batch groups). */
	private static List<Prompt> mixedPrompts() {
		Random r = new Random(42);
		List<Prompt> prompts = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			Prompt.Builder b = Prompt.builder();
			int kind = r.nextInt(4);
			b.foreground(r.nextDouble() * 400, r.nextDouble() * 300);
			if (kind >= 1) b.background(r.nextDouble() * 400, r.nextDouble() * 300);
			if (kind >= 2) {
				double x = r.nextDouble() * 300, y = r.nextDouble() * 200;
				b.box(x, y, x + 10 + r.nextDouble() * 90, y + 10 + r.nextDouble() * 90);
			}
			prompts.add(b.build());
		}
		return prompts;
	}

	private static void assertSameOutputs(List<Segmentation> a, List<Segmentation> b) {
		assertEquals(a.size(), b.size());
		for (int i = 0; i < a.size(); i++) {
			for (int k = 0; k < 4; k++) {
				assertArrayEquals(a.get(i).candidates().get(k).lowRes().logits(), b.get(i).candidates().get(k).lowRes()
					.logits(), "prompt " + i + " token " + k);
				assertEquals(a.get(i).candidates().get(k).predictedIou(), b.get(i).candidates().get(k).predictedIou());
			}
		}
	}

	@Test
	void batchedAndLoopedDecodingAgree() throws Exception {
		List<Prompt> prompts = mixedPrompts();
		SamPredictor pb = new SamPredictor(batched);
		SamPredictor pl = new SamPredictor(loop);
		List<Segmentation> a = pb.segment(pb.embed(Fixtures.grey(400, 300, 80)), prompts, MaskSelection.ALL);
		List<Segmentation> b = pl.segment(pl.embed(Fixtures.grey(400, 300, 80)), prompts, MaskSelection.ALL);
		assertEquals(prompts.size(), a.size());
		assertSameOutputs(a, b);
		for (int i = 0; i < a.size(); i++)
			assertTrue(a.get(i).candidates().get(1).predictedIou() > 0, "padding rule respected for prompt " + i);
	}

	@Test
	void concurrentChunksGiveTheSameAnswersAsOneSession() throws Exception {
		// 3 threads: a large call is cut into >= 3 chunks that run at once on the single-threaded
		// session; the batched fixture (1 thread) runs every chunk in order.
		try (OnnxSamModel parallel = OnnxSamModel.load(org.fijisam.model.ModelSource.folder(Fixtures.folder(
			"known")), org.fijisam.core.ExecutionOptions.cpu().withThreads(3)))
		{
			assertEquals(3, ((OnnxMaskDecoder) parallel.decoder()).parallelWorkers());
			assertEquals(1, ((OnnxMaskDecoder) batched.decoder()).parallelWorkers());
			List<Prompt> prompts = mixedPrompts();
			SamPredictor pp = new SamPredictor(parallel);
			SamPredictor pb = new SamPredictor(batched);
			for (int round = 0; round < 3; round++) { // the worker pool is reused between calls
				List<Segmentation> a = pp.segment(pp.embed(Fixtures.grey(400, 300, 80)), prompts, MaskSelection.ALL);
				List<Segmentation> b = pb.segment(pb.embed(Fixtures.grey(400, 300, 80)), prompts, MaskSelection.ALL);
				assertSameOutputs(a, b);
			}
			// a small call (one click) stays on the multi-threaded session, same answer
			assertSameOutputs(pp.segment(pp.embed(Fixtures.grey(400, 300, 80)), prompts.subList(0, 3),
				MaskSelection.ALL), pb.segment(pb.embed(Fixtures.grey(400, 300, 80)), prompts.subList(0, 3),
					MaskSelection.ALL));
		}
	}

	@Test
	void descriptorCanAskForTheSingleMaskForALonePoint(@TempDir Path dir) throws Exception {
		SamPredictor sam = new SamPredictor(batched);
		ImageEmbedding e = sam.embed(Fixtures.grey(256, 256, 100));
		// SAM's rule: the best-scored ambiguity mask (token 2, IoU 0.95)
		assertEquals(2, sam.segment(e, Prompt.point(100.5, 100.5), MaskSelection.AUTO).best().token());
		Path folder = copyWithDescriptorKey(dir, "\"lone_point_output\": \"single\",");
		try (OnnxSamModel single = OnnxSamModel.load(ModelSource.folder(folder), ExecutionOptions.cpu().withThreads(1))) {
			assertEquals(MaskSelection.SINGLE, single.spec().lonePointSelection());
			SamPredictor p = new SamPredictor(single);
			ImageEmbedding e2 = p.embed(Fixtures.grey(256, 256, 100));
			assertEquals(0, p.segment(e2, Prompt.point(100.5, 100.5), MaskSelection.AUTO).best().token());
			// an explicit choice still wins, and a box is unaffected
			assertEquals(2, p.segment(e2, Prompt.point(100.5, 100.5), MaskSelection.BEST_SCORE).best().token());
			assertEquals(0, p.segment(e2, Prompt.box(50, 50, 150, 150), MaskSelection.AUTO).best().token());
		}
		Path bad = copyWithDescriptorKey(dir.resolve("bad"), "\"lone_point_output\": \"largest\",");
		ModelException ex = assertThrows(ModelException.class, () -> OnnxSamModel.load(ModelSource.folder(bad),
			ExecutionOptions.cpu()));
		assertTrue(ex.getMessage().contains("lone_point_output must be"), ex.getMessage());
	}

	private static Path copyWithDescriptorKey(Path dir, String line) throws Exception {
		Files.createDirectories(dir);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(Fixtures.folder("known"))) {
			for (Path f : files)
				Files.copy(f, dir.resolve(f.getFileName().toString()));
		}
		Path json = dir.resolve("sam.json");
		String text = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
		Files.write(json, text.replaceFirst("\\{", "{\n  " + Matcher.quoteReplacement(line)).getBytes(
			StandardCharsets.UTF_8));
		return dir;
	}

	@Test
	void smallObjectIsDecodedAgainInAWindowAroundIt() throws Exception {
		SamPredictor sam = new SamPredictor(batched);
		SamImage image = Fixtures.grey(1000, 1000, 100);
		ImageEmbedding whole = sam.embed(image);
		ZoomingSegmenter zooming = new ZoomingSegmenter(sam, new ObjectZoom(0.5, 64, 1.5));
		List<Prompt> click = new ArrayList<>();
		click.add(Prompt.point(600.5, 400.5));
		Segmentation s = zooming.segment(image, whole, click, MaskSelection.AUTO).get(0);
		// First look: token 2, a disc of 32 model px = 125 image px radius; the window is twice
		// its 250 px extent, snapped to 512 px. There the disc has 32 * 512 / 256 = 64 px.
		assertEquals(512, s.view().window().width);
		assertTrue(s.view().window().contains(600.5, 400.5));
		BinaryMask m = s.bestMask();
		assertEquals(1000, m.width());
		assertEquals(1000, m.height());
		double[] st = stats(m);
		assertEquals(600.5, st[0], 1.5);
		assertEquals(400.5, st[1], 1.5);
		assertEquals(Math.PI * 64 * 64, st[2], Math.PI * 64 * 64 * 0.1);
		// A correction stays in the same window, with the window's logits fed back.
		List<Prompt> next = new ArrayList<>();
		next.add(s.refine().withPoint(610.5, 400.5, true));
		Segmentation r = zooming.refine(image, whole, List.of(s), next, MaskSelection.SINGLE).get(0);
		assertSame(s.view(), r.view());
		// Zoom off: the plain SAM answer in the whole image.
		Segmentation plain = new ZoomingSegmenter(sam, ObjectZoom.off()).segment(image, whole, click, MaskSelection.AUTO)
			.get(0);
		assertTrue(plain.view().isWholeImage());
		assertEquals(Math.PI * 125 * 125, stats(plain.bestMask())[2], Math.PI * 125 * 125 * 0.1);
	}
}
