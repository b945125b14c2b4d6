package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

/**
 * How planes larger than the model input are split: tiles of about {@code tile} pixels, each
 * processed with a {@code halo} of context on every side, results merged by {@link TileMerger}.
 * {@link #auto()} tiles only planes larger than {@link #AUTO_ABOVE} on a side.
 */
public final class Tiling implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	public static final int DEFAULT_TILE = 1024;
	public static final int DEFAULT_HALO = 128;
	/** Automatic tiling starts above this many pixels on the longer side. */
	public static final int AUTO_ABOVE = 2048;

	/** One tile: the core it owns and the larger region (core + halo, clipped) it sees. */
	public static final class Tile implements java.io.Serializable {
		private static final long serialVersionUID = 1L;
		public final int index;
		public final int coreX0, coreY0, coreX1, coreY1;
		public final int regionX0, regionY0, regionX1, regionY1;

		Tile(int index, int cx0, int cy0, int cx1, int cy1, int rx0, int ry0, int rx1, int ry1) {
			this.index = index;
			this.coreX0 = cx0;
			this.coreY0 = cy0;
			this.coreX1 = cx1;
			this.coreY1 = cy1;
			this.regionX0 = rx0;
			this.regionY0 = ry0;
			this.regionX1 = rx1;
			this.regionY1 = ry1;
		}

		public int regionWidth() { return regionX1 - regionX0; }

		public int regionHeight() { return regionY1 - regionY0; }

		@Override
		public String toString() {
			return "tile " + index + " core [" + coreX0 + ", " + coreY0 + ", " + coreX1 + ", " + coreY1 + ") region [" +
				regionX0 + ", " + regionY0 + ", " + regionX1 + ", " + regionY1 + ")";
		}
	}

	private final int tile;
	private final int halo;
	private final boolean automatic;
	private final boolean off;

	private Tiling(int tile, int halo, boolean automatic, boolean off) {
		this.tile = tile;
		this.halo = halo;
		this.automatic = automatic;
		this.off = off;
	}

	/** Never tile. */
	public static Tiling none() {
		return new Tiling(0, 0, false, true);
	}

	/** Tile planes larger than {@link #AUTO_ABOVE} with the default tile and halo. */
	public static Tiling auto() {
		return new Tiling(DEFAULT_TILE, DEFAULT_HALO, true, false);
	}

	/**
	 * Tile every plane larger than {@code tile} on a side.
	 *
	 * @throws IllegalArgumentException when the tile is not larger than the halo
	 */
	public static Tiling of(int tile, int halo) {
		if (halo < 0) throw new IllegalArgumentException("The halo must be 0 or more pixels, got " + halo + ".");
		if (tile <= halo) throw new IllegalArgumentException("The tile (" + tile + " px) must be larger than the halo (" +
			halo + " px): each tile needs a core of its own. Use a tile of a few hundred pixels or more and a halo " +
			"of about the largest object's diameter.");
		return new Tiling(tile, halo, false, false);
	}

	public int tile() { return tile; }

	public int halo() { return halo; }

	public boolean isAutomatic() { return automatic; }

	/** Whether a plane of this size is split. */
	public boolean appliesTo(int width, int height) {
		if (off) return false;
		int limit = automatic ? AUTO_ABOVE : tile;
		return width > limit || height > limit;
	}

	/** The tiles of a plane: an even split into ceil(size / tile) parts per axis, rows first. */
	public List<Tile> layout(int width, int height) {
		List<Tile> tiles = new ArrayList<>();
		if (!appliesTo(width, height)) {
			tiles.add(new Tile(0, 0, 0, width, height, 0, 0, width, height));
			return tiles;
		}
		int nx = (width + tile - 1) / tile, ny = (height + tile - 1) / tile;
		for (int j = 0; j < ny; j++) {
			int cy0 = (int) ((long) j * height / ny), cy1 = (int) ((long) (j + 1) * height / ny);
			for (int i = 0; i < nx; i++) {
				int cx0 = (int) ((long) i * width / nx), cx1 = (int) ((long) (i + 1) * width / nx);
				tiles.add(new Tile(tiles.size(), cx0, cy0, cx1, cy1, Math.max(0, cx0 - halo), Math.max(0, cy0 - halo), Math
					.min(width, cx1 + halo), Math.min(height, cy1 + halo)));
			}
		}
		return tiles;
	}

	@Override
	public String toString() {
		if (off) return "no tiling";
		return (automatic ? "automatic tiling above " + AUTO_ABOVE + " px, " : "") + "tile " + tile + ", halo " + halo;
	}
}
