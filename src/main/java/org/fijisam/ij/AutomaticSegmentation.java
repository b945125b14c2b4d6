package org.fijisam.ij;

import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;

/**
 * The wiring point for "segment everything" (automatic mask generation, org.fijisam.core.amg):
 * the commands call {@link #segmentPlane} for each plane they cover; the AMG adapter
 * implements it. Until it is wired, {@link #unavailable()} explains that to the user.
 */
public interface AutomaticSegmentation {

	/** Masks of every object found on one plane (1-based z and t). */
	List<ObjectResult> segmentPlane(SamPredictor predictor, ImagePlus imp, int slice, int frame,
		ProgressListener progress) throws SamException;

	/** The implementation in this build. */
	static AutomaticSegmentation forParameters(AutomaticParameters parameters) {
		return unavailable();
	}

	static AutomaticSegmentation unavailable() {
		return (predictor, imp, z, t, progress) -> {
			throw new SamException("Automatic segmentation (Segment Everything) is not part of this build yet. " +
				"Use Segment with Prompts, or update the plugin.");
		};
	}
}
