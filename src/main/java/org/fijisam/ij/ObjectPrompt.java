package org.fijisam.ij;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.LowResMask;
import org.fijisam.core.Prompt;
import org.fijisam.core.ResizeGeometry;

/**
 * The prompts for one object on one plane of an image, as read from ROIs: points, an optional
 * box and an optional area mask. Turned into a core {@link Prompt} once the plane's geometry is
 * known (a mask prompt has to be resized into the model frame).
 */
public final class ObjectPrompt {

	private final String name;
	private final int slice;
	private final int frame;
	private final List<Prompt.Point> points = new ArrayList<>();
	private double[] box;
	private BinaryMask area;

	ObjectPrompt(String name, int slice, int frame) {
		this.name = name;
		this.slice = slice;
		this.frame = frame;
	}

	/** A name for messages and ROI names: the ROI's name, or "object N". */
	public String name() { return name; }

	/** 1-based z position. */
	public int slice() { return slice; }

	/** 1-based t position. */
	public int frame() { return frame; }

	public List<Prompt.Point> points() { return Collections.unmodifiableList(points); }

	/** {x0, y0, x1, y1} in pixel-edge coordinates, or null. */
	public double[] box() { return box == null ? null : box.clone(); }

	/** The area ROI's pixels when it is used as a mask prompt, else null. */
	public BinaryMask area() { return area; }

	void addPoint(double x, double y, boolean foreground) {
		points.add(new Prompt.Point(x, y, foreground));
	}

	boolean hasForeground() {
		return box != null || points.stream().anyMatch(p -> p.foreground);
	}

	void setBox(double x0, double y0, double x1, double y1) {
		box = new double[] { x0, y0, x1, y1 };
	}

	void setArea(BinaryMask mask) {
		area = mask;
	}

	/** The core prompt for a plane of the given geometry and the model's low-res size. */
	public Prompt toPrompt(ResizeGeometry geometry, int lowResSize) {
		Prompt.Builder b = Prompt.builder();
		for (Prompt.Point p : points)
			b.point(p.x, p.y, p.foreground);
		if (box != null) b.box(box[0], box[1], box[2], box[3]);
		if (area != null) b.mask(LowResMask.fromBinary(area, geometry, lowResSize));
		return b.build();
	}

	@Override
	public String toString() {
		return name + " (z=" + slice + ", t=" + frame + ")";
	}
}
