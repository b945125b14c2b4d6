package org.fijisam.core;

import java.util.Locale;

/**
 * When to look at an object through a window of the image rather than the whole image.
 * <p>
 * SAM sees every image at its fixed input size (1024 pixels on the long side), so a nucleus of
 * 10 pixels in a 1000-pixel image covers less than one cell of the 64 x 64 embedding and
 * 2 or 3 cells of the 256 x 256 mask output: too coarse for its outline, whatever the model.
 * Seen through a window a few times its size, the same nucleus spans many cells. The window is
 * chosen from the object's extent (its box prompt, or its first mask and points), so that the
 * object's longer side is {@code objectFraction} of the window's side; objects already large
 * enough in the whole image (zoom under {@code minZoom}) are left as they are.
 */
public final class ObjectZoom {

	/** Default share of the window's side taken by the object. */
	public static final double DEFAULT_OBJECT_FRACTION = 0.25;
	/** No window smaller than this (pixels): too much upsampling only blurs. */
	public static final int DEFAULT_MIN_WINDOW = 64;
	/** Zooming in by less than this is not worth a second encoder run. */
	public static final double DEFAULT_MIN_ZOOM = 1.5;

	private final double objectFraction;
	private final int minWindow;
	private final double minZoom;

	public ObjectZoom(double objectFraction, int minWindow, double minZoom) {
		if (!(objectFraction > 0 && objectFraction <= 1)) throw new IllegalArgumentException(
			"the object's share of the zoom window must be in (0, 1], not " + objectFraction);
		if (minWindow < 8) throw new IllegalArgumentException("the smallest zoom window must be at least 8 pixels");
		if (!(minZoom >= 1)) throw new IllegalArgumentException("the smallest zoom factor must be at least 1");
		this.objectFraction = objectFraction;
		this.minWindow = minWindow;
		this.minZoom = minZoom;
	}

	public static ObjectZoom defaults() {
		return new ObjectZoom(DEFAULT_OBJECT_FRACTION, DEFAULT_MIN_WINDOW, DEFAULT_MIN_ZOOM);
	}

	/** Never zoom: every object is segmented in the whole image, as plain SAM does. */
	public static ObjectZoom off() {
		return new ObjectZoom(1, Integer.MAX_VALUE, Double.POSITIVE_INFINITY);
	}

	public boolean isOff() {
		return Double.isInfinite(minZoom);
	}

	public double objectFraction() { return objectFraction; }

	/**
	 * The window to segment an object of the given extent in (pixel-edge coordinates of a
	 * {@code width x height} image), or null when the whole image is the better view.
	 */
	public ImageWindow windowFor(int width, int height, double x0, double y0, double x1, double y1) {
		if (isOff()) return null;
		double side = Math.max(Math.max(x1 - x0, y1 - y0), 1);
		int longSide = Math.max(width, height);
		double wanted = Math.max(side / objectFraction, minWindow);
		if (wanted * minZoom > longSide) return null;
		int s = (int) Math.ceil(wanted);
		return centred(width, height, s, (x0 + x1) / 2, (y0 + y1) / 2);
	}

	/** A window twice the size of the given one around the same centre, or null past the image's size. */
	public ImageWindow enlarged(int width, int height, ImageWindow w) {
		int s = 2 * Math.max(w.width, w.height);
		if (s * minZoom > Math.max(width, height)) return null;
		return centred(width, height, s, w.x + w.width / 2.0, w.y + w.height / 2.0);
	}

	/**
	 * An s x s window about (cx, cy), moved inside the image and cut to it. Side and corner are
	 * snapped to a coarse grid (side to 16 px, corner to an eighth of the side) so that objects
	 * of similar size close to each other, and a box and a point on the same object, share one
	 * window and so one cached embedding.
	 */
	private static ImageWindow centred(int width, int height, int s, double cx, double cy) {
		s = (s + 15) / 16 * 16;
		int step = Math.max(1, s / 8);
		int w = Math.min(s, width), h = Math.min(s, height);
		int x = (int) Math.round((cx - w / 2.0) / step) * step, y = (int) Math.round((cy - h / 2.0) / step) * step;
		x = Math.max(0, Math.min(x, width - w));
		y = Math.max(0, Math.min(y, height - h));
		return new ImageWindow(x, y, w, h);
	}

	@Override
	public String toString() {
		return isOff() ? "zoom off" : String.format(Locale.ROOT, "zoom: object %.2f of the window, window >= %d px, " +
			"zoom >= %.1f", objectFraction, minWindow, minZoom);
	}
}
