package org.fijisam.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The prompts for ONE object: foreground and background points, at most one box, and
 * optionally the previous low-resolution logits of this object for refinement. Coordinates
 * are in original image pixels; a pixel's centre at column c, row r is (c + 0.5, r + 0.5).
 */
public final class Prompt {

	/** A point in original pixel coordinates. */
	public static final class Point {
		public final double x, y;
		public final boolean foreground;

		public Point(double x, double y, boolean foreground) {
			this.x = x;
			this.y = y;
			this.foreground = foreground;
		}

		@Override
		public String toString() {
			return (foreground ? "+" : "-") + "(" + x + ", " + y + ")";
		}
	}

	private final List<Point> points;
	private final Box box;
	private final LowResMask maskInput;

	private Prompt(List<Point> points, Box box, LowResMask maskInput) {
		this.points = Collections.unmodifiableList(new ArrayList<>(points));
		this.box = box;
		this.maskInput = maskInput;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** A single foreground point at the centre of pixel (col, row)... or any sub-pixel position. */
	public static Prompt point(double x, double y) {
		return builder().foreground(x, y).build();
	}

	public static Prompt box(double x0, double y0, double x1, double y1) {
		return builder().box(x0, y0, x1, y1).build();
	}

	public List<Point> points() { return points; }

	public Box box() { return box; }

	/** Previous low-resolution logits for this object, or null. */
	public LowResMask maskInput() { return maskInput; }

	/** Number of decoder points: the user points plus the two box corners or one padding point. */
	public int decoderPointCount() {
		return points.size() + (box != null ? 2 : 1);
	}

	/** True when SAM recommends multimask output: exactly one point, no box, no mask. */
	public boolean isAmbiguous() {
		return points.size() == 1 && box == null && maskInput == null;
	}

	/** Same prompts plus previous logits, for the next refinement step. */
	public Prompt withMaskInput(LowResMask logits) {
		return new Prompt(points, box, logits);
	}

	/** Same prompts plus one more point. */
	public Prompt withPoint(double x, double y, boolean foreground) {
		List<Point> more = new ArrayList<>(points);
		more.add(new Point(x, y, foreground));
		return new Prompt(more, box, maskInput);
	}

	/** The same prompt with every point and the box moved by (dx, dy); the mask input is kept. */
	public Prompt shifted(double dx, double dy) {
		List<Point> moved = new ArrayList<>(points.size());
		for (Point p : points)
			moved.add(new Point(p.x + dx, p.y + dy, p.foreground));
		Box b = box == null ? null : new Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy);
		return new Prompt(moved, b, maskInput);
	}

	/** The same points and box without the mask input (which belongs to one embedding's frame). */
	public Prompt withoutMaskInput() {
		return maskInput == null ? this : new Prompt(points, box, null);
	}

	/**
	 * Checks the prompt against an image of the given size and throws an exception whose
	 * message says what to fix.
	 */
	public void validate(int width, int height) throws InvalidPromptException {
		if (points.isEmpty() && box == null && maskInput == null) throw new InvalidPromptException(
			"No prompt given: add at least one point or a box (a mask alone is not enough for SAM).");
		if (points.isEmpty() && box == null) throw new InvalidPromptException(
			"A mask prompt needs at least one point or a box with it.");
		for (Point p : points) {
			if (!(p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height)) throw new InvalidPromptException(
				"The point " + p + " lies outside the " + width + "x" + height +
					" image. Place points inside the image.");
		}
		if (box != null) {
			if (!(box.x1 >= box.x0 && box.y1 >= box.y0)) throw new InvalidPromptException("The " + box +
				" has its end before its start (x1 < x0 or y1 < y0). Give the top-left corner first.");
			if (box.x1 <= 0 || box.y1 <= 0 || box.x0 >= width || box.y0 >= height) throw new InvalidPromptException(
				"The " + box + " lies outside the " + width + "x" + height + " image.");
			if (box.width() == 0 && box.height() == 0) throw new InvalidPromptException("The " + box +
				" has no size; drag a box or use a point prompt.");
		}
	}

	@Override
	public String toString() {
		return "Prompt" + points + (box != null ? " " + box : "") + (maskInput != null ? " +mask" : "");
	}

	/** Accumulates points, a box and a mask. */
	public static final class Builder {
		private final List<Point> points = new ArrayList<>();
		private Box box;
		private LowResMask mask;

		public Builder foreground(double x, double y) {
			points.add(new Point(x, y, true));
			return this;
		}

		public Builder background(double x, double y) {
			points.add(new Point(x, y, false));
			return this;
		}

		public Builder point(double x, double y, boolean foreground) {
			points.add(new Point(x, y, foreground));
			return this;
		}

		public Builder box(double x0, double y0, double x1, double y1) {
			this.box = new Box(x0, y0, x1, y1);
			return this;
		}

		public Builder mask(LowResMask logits) {
			this.mask = logits;
			return this;
		}

		public Prompt build() {
			return new Prompt(points, box, mask);
		}
	}
}
