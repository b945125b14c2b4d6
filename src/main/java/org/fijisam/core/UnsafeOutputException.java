package org.fijisam.core;

/** An output path that must not be written: it would destroy an input or something that is not a plain file. */
public class UnsafeOutputException extends SamException {
	private static final long serialVersionUID = 1L;

	public UnsafeOutputException(String message) {
		super(message);
	}
}
