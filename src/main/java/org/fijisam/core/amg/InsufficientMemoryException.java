package org.fijisam.core.amg;

import org.fijisam.core.SamException;

/** Raised before starting when a run would not fit in the memory Java may use. */
public class InsufficientMemoryException extends SamException {
	private static final long serialVersionUID = 1L;

	public InsufficientMemoryException(String message) {
		super(message);
	}
}
