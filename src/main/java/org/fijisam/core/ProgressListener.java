package org.fijisam.core;

/**
 * Receives progress from core code. Adapters turn it into IJ.showProgress, the SciJava
 * StatusService or a terminal bar; core never talks to a user interface directly.
 */
@FunctionalInterface
public interface ProgressListener {

	ProgressListener NONE = (fraction, message) -> {};

	/**
	 * @param fraction done so far, 0..1
	 * @param message short description of the current step, may be empty
	 */
	void progress(double fraction, String message);
}
