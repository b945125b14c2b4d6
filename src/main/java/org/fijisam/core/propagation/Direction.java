package org.fijisam.core.propagation;

/** Which way from the start plane an object is carried. */
public enum Direction {
	/** Towards plane 0. */
	BACKWARD(-1),
	/** Towards the last plane. */
	FORWARD(1);

	/** -1 or +1: the step from one plane to the next in this direction. */
	public final int step;

	Direction(int step) {
		this.step = step;
	}
}
