package org.fijisam.batch;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

import org.fijisam.core.Normalization;
import org.fijisam.core.amg.Tiling;

/**
 * An image ready to be segmented plane by plane, anywhere: its size, its planes, the one
 * intensity range all its planes share and the tiles of a plane (empty when planes are not
 * tiled). Small and serialisable, so that the planes (and tiles) of one image can be
 * segmented on different machines and still give what one machine gives.
 */
public final class PreparedImage implements Serializable {

	private static final long serialVersionUID = 1L;

	private final String file;
	private final String base;
	private final int width, height, planes;
	private final Normalization normalization;
	private final List<Tiling.Tile> tiles;
	private final long memoryBytes;

	PreparedImage(Path file, String base, int width, int height, int planes, Normalization normalization,
		List<Tiling.Tile> tiles, long memoryBytes)
	{
		this.memoryBytes = memoryBytes;
		this.file = file.toString();
		this.base = base;
		this.width = width;
		this.height = height;
		this.planes = planes;
		this.normalization = normalization;
		this.tiles = List.copyOf(tiles);
	}

	public Path file() { return Path.of(file); }

	/** The name of the image's outputs. */
	public String base() { return base; }

	public int width() { return width; }

	public int height() { return height; }

	public int planes() { return planes; }

	/** The range every plane is normalised with (measured once over the whole stack). */
	public Normalization normalization() { return normalization; }

	/** What segmenting one plane of it needs in memory (MemoryEstimate): to size a cluster's executors. */
	public long memoryBytes() { return memoryBytes; }

	/** The tiles of each plane; empty when a plane is segmented whole. */
	public List<Tiling.Tile> tiles() { return tiles; }

	@Override
	public String toString() {
		return file + " (" + width + "x" + height + (planes > 1 ? "x" + planes : "") + (tiles.isEmpty() ? "" : ", " +
			tiles.size() + " tiles per plane") + ")";
	}
}
