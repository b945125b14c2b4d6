package org.fijisam.checkpoint;

import org.fijisam.core.ModelException;

/**
 * A checkpoint file cannot be read: not a checkpoint, corrupt, or holding more than plain
 * weights. The message is for the user and says what to do (re-save, convert, re-download).
 */
public class CheckpointException extends ModelException {
	private static final long serialVersionUID = 1L;

	public CheckpointException(String message) {
		super(message);
	}

	public CheckpointException(String message, Throwable cause) {
		super(message, cause);
	}
}
