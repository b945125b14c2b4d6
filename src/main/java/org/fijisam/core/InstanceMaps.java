package org.fijisam.core;

/**
 * What an {@link InstanceDecoder} predicts, per pixel: the probability of being inside an
 * object, and two distances normalised to 0..1 within each object: from its centre (0 there,
 * 1 at its farthest pixel) and from its boundary (0 deepest inside, 1 at the boundary).
 */
public final class InstanceMaps {

	private final int width;
	private final int height;
	private final float[] foreground;
	private final float[] centerDistance;
	private final float[] boundaryDistance;

	public InstanceMaps(int width, int height, float[] foreground, float[] centerDistance, float[] boundaryDistance) {
		int n = width * height;
		if (foreground.length != n || centerDistance.length != n || boundaryDistance.length != n)
			throw new IllegalArgumentException("instance maps of " + width + "x" + height + " need " + n + " values each");
		this.width = width;
		this.height = height;
		this.foreground = foreground;
		this.centerDistance = centerDistance;
		this.boundaryDistance = boundaryDistance;
	}

	public int width() { return width; }

	public int height() { return height; }

	public float[] foreground() { return foreground; }

	public float[] centerDistance() { return centerDistance; }

	public float[] boundaryDistance() { return boundaryDistance; }

	/**
	 * The maps over the original image: the valid part of the padded frame, resized as SAM
	 * resizes its low-resolution masks (the maps must be square, over the whole input frame).
	 */
	public InstanceMaps atImageSize(ResizeGeometry g) {
		if (width != height) throw new IllegalStateException("maps over the input frame are square, not " + width + "x" +
			height);
		return new InstanceMaps(g.width(), g.height(), MaskPostprocessor.upsampleLogits(foreground, width, g),
			MaskPostprocessor.upsampleLogits(centerDistance, width, g), MaskPostprocessor.upsampleLogits(boundaryDistance,
				width, g));
	}
}
