package org.fijisam.models;

import org.fijisam.core.SamException;

/** A download that failed, with a message that says what to do; {@link #offline} when no server could be reached. */
public final class DownloadException extends SamException {
	private static final long serialVersionUID = 1L;

	/** No connection at all (no network, name not found, refused): importing a copied file is the way. */
	public final boolean offline;

	DownloadException(String message, boolean offline, Throwable cause) {
		super(message, cause);
		this.offline = offline;
	}
}
