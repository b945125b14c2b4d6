package org.fijisam.core;

/** An axis-aligned box in original pixel-edge coordinates: x0 &lt;= x1, y0 &lt;= y1. */
public final class Box {

	public final double x0, y0, x1, y1;

	public Box(double x0, double y0, double x1, double y1) {
		this.x0 = x0;
		this.y0 = y0;
		this.x1 = x1;
		this.y1 = y1;
	}

	public double width() { return x1 - x0; }

	public double height() { return y1 - y0; }

	@Override
	public String toString() {
		return "box(" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ")";
	}
}
