package org.fijisam.convert;

import org.fijisam.core.ModelException;

/** A checkpoint cannot be converted: wrong family or size, tensors missing or extra, or the output failed. */
public class ConversionException extends ModelException {
	private static final long serialVersionUID = 1L;

	public ConversionException(String message) {
		super(message);
	}

	public ConversionException(String message, Throwable cause) {
		super(message, cause);
	}
}
