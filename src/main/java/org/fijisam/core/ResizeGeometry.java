package org.fijisam.core;

/**
 * The geometry between an original image and the square model input. SAM 1 "resize longest
 * side": scale = S / max(h, w), new size = floor(size * scale + 0.5), padding bottom/right.
 * SAM 2 {@link #stretch}: both sides scaled to S separately, no padding; masks then go from the
 * low-resolution frame straight to the original size.
 */
public final class ResizeGeometry {

	private final int width;
	private final int height;
	private final int inputSize;
	private final int newWidth;
	private final int newHeight;
	private final boolean stretched;

	/** SAM 1's longest-side geometry. */
	public ResizeGeometry(int width, int height, int inputSize) {
		this(width, height, inputSize, false);
	}

	/** Both sides stretched to {@code inputSize}, aspect not kept (SAM 2's image predictor). */
	public static ResizeGeometry stretch(int width, int height, int inputSize) {
		return new ResizeGeometry(width, height, inputSize, true);
	}

	private ResizeGeometry(int width, int height, int inputSize, boolean stretched) {
		if (width <= 0 || height <= 0) throw new IllegalArgumentException("empty image");
		this.width = width;
		this.height = height;
		this.inputSize = inputSize;
		this.stretched = stretched;
		if (stretched) {
			this.newWidth = inputSize;
			this.newHeight = inputSize;
			return;
		}
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

	/** True for SAM 2's stretch: the model frame is the whole input, no padding to crop. */
	public boolean stretched() { return stretched; }

	/** Original x (pixel units) to the model input frame. */
	public float toModelX(double x) {
		// SAM 2 computes x / W * S in float32 (SAM2Transforms.transform_coords); same order here.
		if (stretched) return (float) x / width * inputSize;
		return (float) (x * newWidth / width);
	}

	/** Original y (pixel units) to the model input frame. */
	public float toModelY(double y) {
		if (stretched) return (float) y / height * inputSize;
		return (float) (y * newHeight / height);
	}

	@Override
	public String toString() {
		return width + "x" + height + " -> " + newWidth + "x" + newHeight + (stretched ? " (stretched)" : " in " +
			inputSize);
	}
}
