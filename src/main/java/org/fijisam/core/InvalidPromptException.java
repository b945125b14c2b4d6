package org.fijisam.core;

/** A prompt is missing, outside the image, or malformed (for example a box with x1 &lt; x0). */
public class InvalidPromptException extends SamException {
	private static final long serialVersionUID = 1L;

	public InvalidPromptException(String message) {
		super(message);
	}
}
