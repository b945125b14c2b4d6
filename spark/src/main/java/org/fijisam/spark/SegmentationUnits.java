package org.fijisam.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.fijisam.batch.PreparedImage;

/**
 * The units of work of a segmentation job: every plane of every image, and for planes the
 * tiling applies to, every tile of the plane. A 2,000-slice stack is 2,000 tasks, an
 * 80,000 x 60,000 mosaic is one task per tile, so both spread over the whole cluster.
 */
final class SegmentationUnits {

	/** One plane ({@code tile} &lt; 0) or one tile of a plane of image number {@code image}. */
	record Unit(int image, int plane, int tile) implements Serializable {}

	private SegmentationUnits() {}

	static List<Unit> of(List<PreparedImage> images) {
		List<Unit> units = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			PreparedImage p = images.get(i);
			if (p == null) continue; // could not be prepared: reported, no units
			for (int plane = 0; plane < p.planes(); plane++) {
				if (p.tiles().isEmpty()) units.add(new Unit(i, plane, -1));
				else for (int t = 0; t < p.tiles().size(); t++)
					units.add(new Unit(i, plane, t));
			}
		}
		return units;
	}
}
