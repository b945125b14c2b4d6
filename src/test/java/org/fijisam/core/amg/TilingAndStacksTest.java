package org.fijisam.core.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.fijisam.core.ModelSpec;
import org.fijisam.core.Normalization;
import org.fijisam.core.UnsupportedImageException;
import org.junit.jupiter.api.Test;

/** Tile layout and seam merging, stack normalisation and linking, memory checks. */
class TilingAndStacksTest {

	static LocalMask disc(int cx, int cy, int r, int w, int h) {
		byte[] b = new byte[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) b[y * w + x] = 1;
		return LocalMask.of(b, w, h, 0, 0);
	}

	static LocalMask rect(int x0, int y0, int x1, int y1, int w, int h) {
		byte[] b = new byte[w * h];
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++)
				b[y * w + x] = 1;
		return LocalMask.of(b, w, h, 0, 0);
	}

	/** What a perfect segmenter sees in a tile: every object clipped to the tile's region. */
	static List<GeneratedMask> clipped(List<LocalMask> truth, Tiling.Tile t, int w, int h) {
		LocalMask region = rect(t.regionX0, t.regionY0, t.regionX1, t.regionY1, w, h);
		List<GeneratedMask> out = new ArrayList<>();
		for (LocalMask m : truth) {
			byte[] frame = m.toBinaryMask(w, h).data();
			byte[] r = region.toBinaryMask(w, h).data();
			for (int i = 0; i < frame.length; i++)
				frame[i] &= r[i];
			LocalMask piece = LocalMask.of(frame, w, h, 0, 0);
			if (piece != null) out.add(new GeneratedMask(piece, 0.9f, 0.9f, 0, 0, new int[] { t.regionX0, t.regionY0, t
				.regionWidth(), t.regionHeight() }));
		}
		return out;
	}

	@Test
	void tileLayoutSplitsEvenlyWithHalo() {
		Tiling t = Tiling.of(100, 20);
		assertFalse(t.appliesTo(100, 100));
		List<Tiling.Tile> tiles = t.layout(300, 200);
		assertEquals(6, tiles.size());
		Tiling.Tile middle = tiles.get(1);
		assertArrayEquals(new int[] { 100, 0, 200, 100, 80, 0, 220, 120 }, new int[] { middle.coreX0, middle.coreY0,
			middle.coreX1, middle.coreY1, middle.regionX0, middle.regionY0, middle.regionX1, middle.regionY1 });
		assertEquals(1, Tiling.auto().layout(2048, 1000).size(), "automatic tiling only above 2048 px");
		assertEquals(9, Tiling.auto().layout(3000, 3000).size());
		assertFalse(Tiling.none().appliesTo(100000, 100000));
	}

	@Test
	void tileSmallerThanHaloIsAnError() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tiling.of(64, 128));
		assertTrue(e.getMessage().contains("larger than the halo"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Tiling.of(100, 100));
		assertThrows(IllegalArgumentException.class, () -> Tiling.of(100, -1));
	}

	@Test
	void objectsStraddlingTileBordersAreNeitherDuplicatedNorSplit() {
		int w = 300, h = 200;
		List<LocalMask> truth = new ArrayList<>();
		truth.add(disc(40, 40, 10, w, h)); // inside one core
		truth.add(disc(100, 50, 12, w, h)); // on the vertical seam x = 100
		truth.add(disc(101, 100, 10, w, h)); // on the corner of four tiles
		truth.add(disc(75, 150, 10, w, h)); // reaches into the neighbour's halo only
		truth.add(disc(250, 103, 14, w, h)); // on the horizontal seam y = 100
		truth.add(rect(150, 30, 270, 40, w, h)); // a bar longer than the halo across x = 200
		truth.add(rect(190, 60, 196, 190, w, h)); // a tall bar across y = 100, in the halo of x = 200
		truth.add(disc(206, 150, 5, w, h)); // 5 px beside the tall bar, a separate object
		Tiling tiling = Tiling.of(100, 20);
		List<Tiling.Tile> tiles = tiling.layout(w, h);
		List<List<GeneratedMask>> perTile = new ArrayList<>();
		for (Tiling.Tile t : tiles)
			perTile.add(clipped(truth, t, w, h));
		List<GeneratedMask> merged = TileMerger.merge(tiles, perTile, w, h, TileMerger.DEFAULT_LINK_IOU);
		assertEquals(truth.size(), merged.size(), merged.toString());
		for (LocalMask t : truth) {
			int matches = 0;
			for (GeneratedMask m : merged)
				if (m.mask().intersection(t) > 0) {
					matches++;
					assertArrayEquals(t.xywh(), m.mask().xywh(), "object " + t);
					assertArrayEquals(t.bits(), m.mask().bits(), "object " + t);
				}
			assertEquals(1, matches, "object " + t + " found once");
		}
		LabelImage labels = LabelPainter.paint(merged, w, h, 0);
		assertEquals(truth.size(), labels.count(), "no seams in the label image");
	}

	@Test
	void stackNormalisationIsMeasuredOverAllSlices() throws Exception {
		List<RandomAccessibleInterval<UnsignedShortType>> planes = new ArrayList<>();
		for (int z = 0; z < 3; z++) {
			short[] px = new short[100];
			for (int i = 0; i < px.length; i++)
				px[i] = (short) (1000 * z + i);
			planes.add(ArrayImgs.unsignedShorts(px, 10, 10));
		}
		GreySliceSource<UnsignedShortType> source = new GreySliceSource<>(planes);
		Normalization minMax = StackNormalization.measure(source, Normalization.minMax(), null);
		assertEquals(Normalization.fixed(0, 2099), minMax);
		Normalization pct = StackNormalization.measure(source, Normalization.percentile(0, 100), null);
		assertEquals(0, pct.low(), 0.1);
		assertEquals(2099, pct.high(), 0.1);
		Normalization auto = StackNormalization.measure(source, Normalization.auto(), null);
		assertTrue(auto.low() > 0 && auto.high() < 2099 && auto.high() > 2000, auto.toString());
		// The same pixel value maps to the same grey in every slice.
		float a = source.image(0, minMax).channel(0)[50], b = source.image(2, minMax).channel(0)[50];
		assertTrue(b > a);
		// A constant stack has no contrast, but still a valid range.
		List<RandomAccessibleInterval<UnsignedShortType>> flat = new ArrayList<>();
		flat.add(ArrayImgs.unsignedShorts(new short[100], 10, 10));
		flat.add(ArrayImgs.unsignedShorts(new short[100], 10, 10));
		assertEquals(Normalization.fixed(0, 1), StackNormalization.measure(new GreySliceSource<>(flat), Normalization
			.auto(), null));
	}

	@Test
	void stackWithMixedDimensionsIsRefused() {
		List<RandomAccessibleInterval<UnsignedShortType>> planes = new ArrayList<>();
		planes.add(ArrayImgs.unsignedShorts(10, 10));
		planes.add(ArrayImgs.unsignedShorts(10, 10));
		planes.add(ArrayImgs.unsignedShorts(12, 10));
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> StackAutoSegmenter
			.checkDimensions(new GreySliceSource<>(planes)));
		assertTrue(e.getMessage().contains("slice 3 is 12x10 but slice 1 is 10x10"), e.getMessage());
	}

	static LabelImage slice(int w, int h, LocalMask... objects) {
		int[] px = new int[w * h];
		for (int k = 0; k < objects.length; k++) {
			byte[] f = objects[k].toBinaryMask(w, h).data();
			for (int i = 0; i < px.length; i++)
				if (f[i] != 0) px[i] = k + 1;
		}
		return LabelPainter.relabel(px, w, h, 0, null, null);
	}

	@Test
	void linkingKeepsOneLabelPerObjectThroughTheStack() {
		int w = 60, h = 40;
		SliceLinker linker = new SliceLinker(0.5);
		LabelImage z0 = linker.link(slice(w, h, rect(0, 0, 10, 10, w, h), rect(30, 0, 40, 10, w, h)));
		assertEquals(1, z0.labels()[0]);
		assertEquals(2, z0.labels()[30]);
		// Next slice: the objects moved by one pixel, the first object is found second in raster
		// order now, and a new object appears.
		LabelImage z1 = linker.link(slice(w, h, rect(31, 0, 41, 10, w, h), rect(1, 1, 11, 11, w, h), rect(0, 25, 8, 33, w,
			h)));
		assertEquals(1, z1.labels()[2 * w + 2], "first object keeps label 1");
		assertEquals(2, z1.labels()[35], "second object keeps label 2");
		assertEquals(3, z1.labels()[26 * w + 1], "the new object gets a new label");
		// An object shifted too far (IoU < 0.5) is a new one.
		LabelImage z2 = linker.link(slice(w, h, rect(7, 1, 17, 11, w, h)));
		assertEquals(4, z2.labels()[1 * w + 10]);
		assertEquals(4, z2.maxLabel());
		assertEquals(4, z2.objects().get(0).label);
	}

	@Test
	void memoryIsEstimatedAndRefusedWithAdvice() {
		ModelSpec spec = new ModelSpec("m", 1024, new float[3], new float[] { 1, 1, 1 }, new int[] { 256, 64, 64 }, 256,
			4);
		AmgParameters p = AmgParameters.defaults();
		long slice = MemoryEstimate.bytes(2048, 2048, 0, spec, p, Tiling.auto());
		assertTrue(slice < 1L << 30, "a 2048 x 2048 slice fits well below 1 GB: " + slice);
		long stack = MemoryEstimate.bytes(2048, 2048, 100, spec, p, Tiling.auto());
		assertTrue(stack < 3L << 30, "a 100-slice 2048 x 2048 label stack stays below 3 GB: " + stack);
		long huge = MemoryEstimate.bytes(60000, 60000, 0, spec, p, Tiling.auto());
		InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, () -> MemoryEstimate.check(huge,
			4L << 30, "This image", true));
		assertTrue(e.getMessage().contains("-Xmx") && e.getMessage().contains("GB"), e.getMessage());
		e = assertThrows(InsufficientMemoryException.class, () -> MemoryEstimate.check(huge, 4L << 30, "This image",
			false));
		assertTrue(e.getMessage().contains("--tile"), e.getMessage());
	}
}
