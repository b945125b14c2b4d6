package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;

/**
 * Automatic segmentation of a plane of any size: planes the {@link Tiling} applies to are
 * split into tiles with a halo, each tile region is segmented on its own and the results are
 * merged ({@link TileMerger}); smaller planes go through {@link AutoMaskGenerator} directly.
 */
public final class TiledAutoSegmenter {

	private final AutoMaskGenerator generator;
	private final Tiling tiling;
	private final double linkIou;

	public TiledAutoSegmenter(AutoMaskGenerator generator, Tiling tiling) {
		this(generator, tiling, TileMerger.DEFAULT_LINK_IOU);
	}

	public TiledAutoSegmenter(AutoMaskGenerator generator, Tiling tiling, double linkIou) {
		this.generator = generator;
		this.tiling = tiling == null ? Tiling.none() : tiling;
		this.linkIou = linkIou;
	}

	public AutoMaskGenerator generator() { return generator; }

	public Tiling tiling() { return tiling; }

	public AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException {
		int w = image.width(), h = image.height();
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		if (!tiling.appliesTo(w, h)) return generator.generate(image, p, cancel);
		long start = System.nanoTime();
		List<Tiling.Tile> tiles = tiling.layout(w, h);
		List<List<GeneratedMask>> perTile = new ArrayList<>();
		AmgTimings timings = new AmgTimings();
		ProgressEta eta = new ProgressEta(p);
		for (Tiling.Tile t : tiles) {
			int index = t.index;
			SamImage region = SubImages.crop(image, t.regionX0, t.regionY0, t.regionWidth(), t.regionHeight());
			String prefix = "tile " + (index + 1) + "/" + tiles.size();
			AmgResult r = generator.generate(region, (f, m) -> eta.report((index + f) / tiles.size(), StackAutoSegmenter
				.join(prefix, m)), cancel);
			List<GeneratedMask> placed = new ArrayList<>(r.masks().size());
			for (GeneratedMask m : r.masks())
				placed.add(m.translate(t.regionX0, t.regionY0));
			perTile.add(placed);
			timings.add(r.timings());
		}
		long m0 = System.nanoTime();
		List<GeneratedMask> merged = TileMerger.merge(tiles, perTile, w, h, linkIou);
		timings.postprocessNanos += System.nanoTime() - m0;
		timings.kept = merged.size();
		timings.totalNanos = System.nanoTime() - start;
		return new AmgResult(w, h, merged, generator.parameters(), timings);
	}
}
