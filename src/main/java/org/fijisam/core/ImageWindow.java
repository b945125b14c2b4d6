package org.fijisam.core;

/** A rectangle of an image, in whole pixels: columns [x, x + width), rows [y, y + height). */
public final class ImageWindow {

	public final int x, y, width, height;

	public ImageWindow(int x, int y, int width, int height) {
		if (x < 0 || y < 0 || width <= 0 || height <= 0) throw new IllegalArgumentException("the window [" + x +
			", " + y + ", " + width + "x" + height + "] has a negative corner or no size");
		this.x = x;
		this.y = y;
		this.width = width;
		this.height = height;
	}

	/** True when the point (original pixel coordinates) lies in the window, edges included. */
	public boolean contains(double px, double py) {
		return px >= x && px <= x + width && py >= y && py <= y + height;
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof ImageWindow)) return false;
		ImageWindow w = (ImageWindow) o;
		return w.x == x && w.y == y && w.width == width && w.height == height;
	}

	@Override
	public int hashCode() {
		return ((x * 31 + y) * 31 + width) * 31 + height;
	}

	@Override
	public String toString() {
		return "window(" + x + ", " + y + ", " + width + "x" + height + ")";
	}
}
