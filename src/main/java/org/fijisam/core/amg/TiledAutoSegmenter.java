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

	private final PlaneSegmenter generator;
	private final Tiling tiling;
	private final double linkIou;

	public TiledAutoSegmenter(PlaneSegmenter generator, Tiling tiling) {
		this(generator, tiling, TileMerger.DEFAULT_LINK_IOU);
	}

	public TiledAutoSegmenter(PlaneSegmenter generator, Tiling tiling, double linkIou) {
		this.generator = generator;
		this.tiling = tiling == null ? Tiling.none() : tiling;
		this.linkIou = linkIou;
	}

	public PlaneSegmenter generator() { return generator; }

	public Tiling tiling() { return tiling; }

	public AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException {
		int w = image.width(), h = image.height();
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		if (!tiling.appliesTo(w, h)) return generator.generate(image, p, cancel);
		long start = System.nanoTime();
		List<Tiling.Tile> tiles = tiling.layout(w, h);
		List<AmgResult> perTile = new ArrayList<>();
		ProgressEta eta = new ProgressEta(p);
		for (Tiling.Tile t : tiles) {
			int index = t.index;
			String prefix = "tile " + (index + 1) + "/" + tiles.size();
			perTile.add(generateTile(image, t, (f, m) -> eta.report((index + f) / tiles.size(), StackAutoSegmenter.join(
				prefix, m)), cancel));
		}
		AmgResult merged = merge(w, h, tiles, perTile);
		merged.timings().totalNanos = System.nanoTime() - start;
		return merged;
	}

	/**
	 * The masks of one tile region, placed in plane coordinates. With {@link #merge} this is
	 * {@link #generate} in pieces, for runs that spread the tiles of a plane over several machines.
	 */
	public AmgResult generateTile(SamImage plane, Tiling.Tile t, ProgressListener progress, Cancellation cancel)
		throws SamException
	{
		SamImage region = SubImages.crop(plane, t.regionX0, t.regionY0, t.regionWidth(), t.regionHeight());
		AmgResult r = generator.generate(region, progress, cancel);
		List<GeneratedMask> placed = new ArrayList<>(r.masks().size());
		for (GeneratedMask m : r.masks())
			placed.add(m.translate(t.regionX0, t.regionY0));
		return new AmgResult(plane.width(), plane.height(), placed, generator.parameters(), r.timings());
	}

	/** The plane's result from its tiles' (in tile order): no object split or duplicated at a seam. */
	public AmgResult merge(int width, int height, List<Tiling.Tile> tiles, List<AmgResult> perTile) {
		List<List<GeneratedMask>> masks = new ArrayList<>();
		AmgTimings timings = new AmgTimings();
		for (AmgResult r : perTile) {
			masks.add(r.masks());
			timings.add(r.timings());
		}
		long m0 = System.nanoTime();
		List<GeneratedMask> merged = TileMerger.merge(tiles, masks, width, height, linkIou);
		timings.postprocessNanos += System.nanoTime() - m0;
		timings.kept = merged.size();
		return new AmgResult(width, height, merged, generator.parameters(), timings);
	}
}
