package org.fijisam.core.propagation;

import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;

/**
 * The planes of a z-stack or time series, handed out one at a time so that adapters (ImageJ
 * stacks, files) can convert slices as they are needed instead of the whole stack at once.
 * Indices are 0-based; messages to users name planes 1-based, as ImageJ does.
 */
public interface PlaneSource {

	/** Number of planes. */
	int size();

	/** Plane {@code index} ready for the encoder; all planes of one stack share one normalisation. */
	SamImage plane(int index) throws SamException;
}
