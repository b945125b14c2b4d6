package org.fijisam.core;

/** A model folder is missing, unreadable, corrupt, or not shaped like a SAM model. */
public class ModelException extends SamException {
	private static final long serialVersionUID = 1L;

	public ModelException(String message) {
		super(message);
	}

	public ModelException(String message, Throwable cause) {
		super(message, cause);
	}
}
