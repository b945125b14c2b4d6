package org.fijisam.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.fijisam.core.Prompt;

/**
 * The prompts of the object being drawn: clicked points and at most one box, with undo. Pure
 * state, no AWT: the tool feeds it, the session turns it into a core {@link Prompt}.
 */
final class PromptState {

	private final List<Prompt.Point> points = new ArrayList<>();
	private double[] box;
	private final Deque<Runnable> undo = new ArrayDeque<>();

	void addPoint(double x, double y, boolean foreground) {
		points.add(new Prompt.Point(x, y, foreground));
		undo.push(() -> points.remove(points.size() - 1));
	}

	void setBox(double x0, double y0, double x1, double y1) {
		double[] previous = box;
		box = new double[] { Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1) };
		undo.push(() -> box = previous);
	}

	/** Undoes the last point or box; false when there was nothing to undo. */
	boolean undo() {
		if (undo.isEmpty()) return false;
		undo.pop().run();
		return true;
	}

	void clear() {
		points.clear();
		box = null;
		undo.clear();
	}

	boolean isEmpty() {
		return points.isEmpty() && box == null;
	}

	/** True when the state can segment something: a foreground point or a box. */
	boolean hasForeground() {
		return box != null || points.stream().anyMatch(p -> p.foreground);
	}

	List<Prompt.Point> points() {
		return new ArrayList<>(points);
	}

	double[] box() {
		return box == null ? null : box.clone();
	}

	Prompt toPrompt() {
		Prompt.Builder b = Prompt.builder();
		for (Prompt.Point p : points)
			b.point(p.x, p.y, p.foreground);
		if (box != null) b.box(box[0], box[1], box[2], box[3]);
		return b.build();
	}
}
