package org.fijisam.core.amg;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;

/**
 * Every object of one plane (or tile), whatever the mode: SAM's grid of point prompts
 * ({@link AutoMaskGenerator}, "amg") or the instance decoder's maps and a watershed
 * ({@link InstanceSegmenter}, "ais"). Tiling, stacks and the writers work
 * on the result the same way for every mode.
 */
public interface PlaneSegmenter {

	AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException;

	/** The parameters that apply to the result (minimum object size, presets' values). */
	AmgParameters parameters();

	SamPredictor predictor();

	/** "amg" or "ais", for messages and reports. */
	String mode();
}
