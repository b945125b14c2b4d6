package org.fijisam.ij;

import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;

/**
 * "Segment everything" for the ImageJ commands: they call {@link #segmentPlane} for each plane
 * they cover; {@link AmgPlaneSegmentation} implements it over org.fijisam.core.amg.
 */
public interface AutomaticSegmentation {

	/** Masks of every object found on one plane (1-based z and t). */
	List<ObjectResult> segmentPlane(SamPredictor predictor, ImagePlus imp, int slice, int frame,
		ProgressListener progress) throws SamException;

	/** The implementation in this build. */
	static AutomaticSegmentation forParameters(AutomaticParameters parameters) {
		return AmgPlaneSegmentation.of(parameters);
	}
}
