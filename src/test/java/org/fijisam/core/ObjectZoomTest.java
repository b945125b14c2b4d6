package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Window choice, crops and placement for zooming in on small objects (no model needed). */
class ObjectZoomTest {

	@Test
	void smallObjectGetsAWindowFourTimesItsSizeCentredOnIt() {
		ObjectZoom z = new ObjectZoom(0.25, 64, 1.5);
		// a 20 px object in a 1000 px image: window 80 -> snapped to 80 (multiple of 16)
		ImageWindow w = z.windowFor(1000, 800, 500, 400, 520, 420);
		assertNotNull(w);
		assertEquals(80, w.width);
		assertEquals(80, w.height);
		assertTrue(w.contains(500, 400) && w.contains(520, 420), w.toString());
		assertEquals(510, w.x + w.width / 2.0, 10);
		assertEquals(410, w.y + w.height / 2.0, 10);
		// corner on a grid of an eighth of the side: neighbours share windows
		assertEquals(0, w.x % 10);
		assertEquals(0, w.y % 10);
	}

	@Test
	void largeObjectsAndTinyImagesAreNotZoomed() {
		ObjectZoom z = new ObjectZoom(0.25, 64, 1.5);
		assertNull(z.windowFor(1000, 1000, 100, 100, 300, 300), "800 px window in a 1000 px image is < 1.5x");
		assertNull(z.windowFor(90, 90, 40, 40, 45, 45), "the smallest window (64) is not 1.5x smaller than 90");
		assertNull(ObjectZoom.off().windowFor(4000, 4000, 10, 10, 12, 12));
		assertTrue(ObjectZoom.off().isOff());
	}

	@Test
	void windowsStayInsideTheImageAndAreCutToIt() {
		ObjectZoom z = new ObjectZoom(0.25, 64, 1.5);
		ImageWindow corner = z.windowFor(1000, 1000, 0, 0, 10, 10);
		assertEquals(0, corner.x);
		assertEquals(0, corner.y);
		ImageWindow far = z.windowFor(1000, 1000, 990, 990, 1000, 1000);
		assertEquals(1000, far.x + far.width);
		assertEquals(1000, far.y + far.height);
		// a flat strip: the window is cut to the image's height
		ImageWindow strip = z.windowFor(2000, 100, 1000, 40, 1060, 60);
		assertEquals(100, strip.height);
		assertEquals(240, strip.width);
		ImageWindow bigger = z.enlarged(2000, 100, strip);
		assertEquals(480, bigger.width);
		assertNull(z.enlarged(1000, 1000, new ImageWindow(0, 0, 512, 512)), "1024 > 1000 / 1.5");
	}

	@Test
	void badParametersAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> new ObjectZoom(0, 64, 1.5));
		assertThrows(IllegalArgumentException.class, () -> new ObjectZoom(1.5, 64, 1.5));
		assertThrows(IllegalArgumentException.class, () -> new ObjectZoom(0.25, 2, 1.5));
	}

	@Test
	void cropCopiesTheWindowAndPlacementPutsItBack() {
		float[] v = new float[6 * 4];
		for (int i = 0; i < v.length; i++)
			v[i] = i;
		SamImage img = SamImages.ofNormalised(6, 4, v, v, v);
		SamImage c = img.crop(new ImageWindow(2, 1, 3, 2));
		assertEquals(3, c.width());
		assertEquals(2, c.height());
		assertEquals(8f, c.channel(0)[0]);
		assertEquals(16f, c.channel(2)[5]);
		assertSame(c.channel(0), c.channel(1), "shared grey channels stay shared");
		assertSame(img, img.crop(new ImageWindow(0, 0, 6, 4)));
		assertThrows(IllegalArgumentException.class, () -> img.crop(new ImageWindow(4, 0, 3, 2)));

		ImageEmbedding e = new ImageEmbedding(java.util.List.of(new EmbeddingTensor("e", new int[] { 1, 1, 1 },
			new float[1])), new ResizeGeometry(3, 2, 16), "k");
		EmbeddedWindow view = new EmbeddedWindow(e, new ImageWindow(2, 1, 3, 2), 6, 4);
		assertFalse(view.isWholeImage());
		BinaryMask inWindow = new BinaryMask(3, 2, new byte[] { 1, 0, 0, 0, 0, 1 });
		BinaryMask placed = view.placeInImage(inWindow);
		assertEquals(6, placed.width());
		assertEquals(2, placed.area());
		assertTrue(placed.get(2, 1) && placed.get(4, 2));
		assertTrue(view.fits(Prompt.point(3.5, 2.5)));
		assertFalse(view.fits(Prompt.point(0.5, 0.5)));
		assertFalse(view.fits(Prompt.box(2, 1, 6, 3)));
		assertEquals(3.5 - 2, Prompt.point(3.5, 2.5).shifted(-2, -1).points().get(0).x);
	}

	@Test
	void masksOnAnInnerWindowEdgeAreCutOnesButNotOnTheImageEdge() {
		byte[] left = new byte[16];
		left[4] = 1; // (0, 1)
		BinaryMask m = new BinaryMask(4, 4, left);
		assertTrue(ZoomingSegmenter.touchesInnerEdge(m, new ImageWindow(10, 10, 4, 4), 100, 100));
		assertFalse(ZoomingSegmenter.touchesInnerEdge(m, new ImageWindow(0, 10, 4, 4), 100, 100),
			"the window's left edge is the image's");
		byte[] middle = new byte[16];
		middle[5] = 1; // (1, 1)
		assertFalse(ZoomingSegmenter.touchesInnerEdge(new BinaryMask(4, 4, middle), new ImageWindow(10, 10, 4, 4), 100,
			100));
	}
}
