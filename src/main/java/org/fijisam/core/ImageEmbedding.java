package org.fijisam.core;

/** The encoder output for one image plane, with the geometry needed to decode against it. */
public final class ImageEmbedding {

	private final float[] data;
	private final int[] shape;
	private final ResizeGeometry geometry;
	private final String key;

	public ImageEmbedding(float[] data, int[] shape, ResizeGeometry geometry, String key) {
		this.data = data;
		this.shape = shape.clone();
		this.geometry = geometry;
		this.key = key;
	}

	/** [C * H * W] row-major; do not modify. */
	public float[] data() { return data; }

	/** {C, H, W}. */
	public int[] shape() { return shape.clone(); }

	public ResizeGeometry geometry() { return geometry; }

	/** Cache key: model, image content and geometry. */
	public String key() { return key; }

	public long bytes() {
		return 4L * data.length;
	}
}
