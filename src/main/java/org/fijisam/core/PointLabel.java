package org.fijisam.core;

/** SAM's point labels as the decoder sees them. */
public enum PointLabel {
	/** A point that is not part of the prompt (appended when there is no box). */
	PADDING(-1),
	BACKGROUND(0),
	FOREGROUND(1),
	BOX_TOP_LEFT(2),
	BOX_BOTTOM_RIGHT(3);

	private final int code;

	PointLabel(int code) {
		this.code = code;
	}

	public int code() { return code; }
}
