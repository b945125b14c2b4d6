package org.fijisam.core.amg;

import java.util.Collections;
import java.util.List;

/**
 * A label image (0 = background, 1..count = objects, row-major) and its object table. Adapters
 * store it as 16-bit, or 32-bit when {@link #needs32Bit()}.
 */
public final class LabelImage {

	private final int width;
	private final int height;
	private final int[] labels;
	private final int maxLabel;
	private final List<ObjectStats> objects;

	public LabelImage(int width, int height, int[] labels, int maxLabel, List<ObjectStats> objects) {
		if (labels.length != width * height) throw new IllegalArgumentException("size mismatch");
		this.width = width;
		this.height = height;
		this.labels = labels;
		this.maxLabel = maxLabel;
		this.objects = Collections.unmodifiableList(objects);
	}

	public int width() { return width; }

	public int height() { return height; }

	/** Row-major labels; do not modify. */
	public int[] labels() { return labels; }

	/** Number of objects. */
	public int count() { return objects.size(); }

	/** The largest label (equals count unless labels were linked across slices). */
	public int maxLabel() { return maxLabel; }

	/** True when labels exceed 65,535 and a 16-bit image cannot hold them. */
	public boolean needs32Bit() { return maxLabel > 65535; }

	/** One row per object, by label. */
	public List<ObjectStats> objects() { return objects; }
}
