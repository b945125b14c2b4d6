package org.fijisam.core;

/**
 * Base of every checked error the plugin reports to a user. The message is written for
 * the user: it says what went wrong and what to do, so entry points can show it as is.
 */
public class SamException extends Exception {
	private static final long serialVersionUID = 1L;

	public SamException(String message) {
		super(message);
	}

	public SamException(String message, Throwable cause) {
		super(message, cause);
	}
}
