package org.fijisam.core.amg;

import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;

/**
 * The planes of a stack or time series, read one at a time so that a long stack never has
 * to be converted all at once. Adapters (ImageJ stacks, imglib2 images, files) implement it.
 */
public interface SliceSource {

	/** Number of planes. */
	int size();

	/** {width, height} of plane {@code index}, cheap (no pixel conversion). */
	int[] dimensions(int index);

	/** True for 8-bit and RGB data (which resolve "auto" normalisation to min-max). */
	boolean eightBitOrRgb();

	/**
	 * The raw intensities of the channels that feed the model, for measuring one intensity
	 * range over the whole stack.
	 */
	float[] intensities(int index) throws SamException;

	/** Plane {@code index} normalised with {@code normalization} (a fixed range for stacks). */
	SamImage image(int index, Normalization normalization) throws SamException;
}
