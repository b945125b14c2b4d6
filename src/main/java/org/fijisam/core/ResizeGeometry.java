package org.fijisam.core;

/**
 * The SAM-1 "resize longest side" geometry between an original image and the square model
 * input: scale = S / max(h, w), new size = floor(size * scale + 0.5), padding bottom/right.
 */
public final class ResizeGeometry {

	private final int width;
	private final int height;
	private final int inputSize;
	private final int newWidth;
	private final int newHeight;

	public ResizeGeometry(int width, int height, int inputSize) {
		if (width <= 0 || height <= 0) throw new IllegalArgumentException("empty image");
		this.width = width;
		this.height = height;
		this.inputSize = inputSize;
		double scale = inputSize / (double) Math.max(width, height);
		// Never 0: a 1-pixel-wide image still occupies one column of the model input.
		this.newWidth = Math.max(1, (int) Math.floor(width * scale + 0.5));
		this.newHeight = Math.max(1, (int) Math.floor(height * scale + 0.5));
	}

	public int width() { return width; }

	public int height() { return height; }

	public int inputSize() { return inputSize; }

	public int newWidth() { return newWidth; }

	public int newHeight() { return newHeight; }

	/** Original x (pixel units) to the model input frame. */
	public float toModelX(double x) {
		return (float) (x * newWidth / width);
	}

	/** Original y (pixel units) to the model input frame. */
	public float toModelY(double y) {
		return (float) (y * newHeight / height);
	}

	@Override
	public String toString() {
		return width + "x" + height + " -> " + newWidth + "x" + newHeight + " in " + inputSize;
	}
}
