package org.fijisam.core;

/** Thrown when the user cancelled a long-running operation through a {@link Cancellation}. */
public class CancelledException extends SamException {
	private static final long serialVersionUID = 1L;

	public CancelledException() {
		super("Cancelled by the user.");
	}

	/** Says what was kept or undone, e.g. a partial download kept for resuming. */
	public CancelledException(String message) {
		super(message);
	}
}
