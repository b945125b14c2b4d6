package org.fijisam.core.propagation;

/** Why an object was carried no further in one direction, and where. */
public final class StopReason {

	/** What ended the propagation. */
	public enum Kind {
		/** The first or last plane of the stack was reached: nothing was rejected. */
		END_OF_STACK,
		/** {@link PropagationRules#maxPlanes()} planes were done in this direction. */
		PLANE_LIMIT,
		/** The model found nothing at the prompt: the object ended. */
		EMPTY,
		/** The model's predicted IoU was below the rule. */
		PREDICTED_IOU,
		/** The mask's stability score was below the rule. */
		STABILITY,
		/** The mask overlapped the previous plane's too little: probably another object. */
		OVERLAP,
		/** The user cancelled; the planes done before are kept. */
		CANCELLED
	}

	private final Direction direction;
	private final Kind kind;
	private final int plane;
	private final String message;

	/**
	 * @param plane 0-based index of the plane whose mask was rejected or not computed, or -1
	 *        when the stack ended
	 */
	StopReason(Direction direction, Kind kind, int plane, String message) {
		this.direction = direction;
		this.kind = kind;
		this.plane = plane;
		this.message = message;
	}

	public Direction direction() { return direction; }

	public Kind kind() { return kind; }

	/** 0-based index of the plane where it stopped (not kept), or -1 at the end of the stack. */
	public int plane() { return plane; }

	/** For the user, planes 1-based: "stopped at plane 17: overlap 0.12 < 0.50". */
	public String message() { return message; }

	/** True when the object really ended (or changed) there, not the stack, a limit or the user. */
	public boolean rejected() {
		return kind != Kind.END_OF_STACK && kind != Kind.PLANE_LIMIT && kind != Kind.CANCELLED;
	}

	@Override
	public String toString() {
		return direction.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
	}
}
