package org.fijisam.core;

/** The image cannot be fed to the model (empty, wrong dimensionality, bad channel choice...). */
public class UnsupportedImageException extends SamException {
	private static final long serialVersionUID = 1L;

	public UnsupportedImageException(String message) {
		super(message);
	}
}
