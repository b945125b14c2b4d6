package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.process.ByteProcessor;

import org.fijisam.ImageJSupport;
import org.junit.jupiter.api.Test;

/**
 * "Segment Everything" run as a macro in a real ImageJ (xvfb-run) with the fixture model: an
 * empty result says which thresholds removed everything and what to try.
 */
class SegmentEverythingMacroTest extends InRealImageJ {

	static String run(String options) {
		return "run(\"Segment Everything\", \"scope=current_plane preset=default points_per_side=2 " + options +
			" label_image " + ImageJSupport.fixtureModel().replace("\\", "\\\\") + "\");";
	}

	static ImagePlus ramp() {
		ByteProcessor ip = new ByteProcessor(96, 96);
		for (int y = 0; y < 96; y++)
			for (int x = 0; x < 96; x++)
				ip.set(x, y, 2 * x);
		return show(new ImagePlus("ramp", ip));
	}

	@Test
	void noObjectNamesTheThresholdsAndWhatToTry() {
		ramp();
		// no object of a 96 x 96 image can have 100,000 pixels
		assertEquals("completed", ImageJSupport.runMacro(run("pred_iou_thresh=0.5 stability_thresh=0.5 " +
			"min_size=100000")), IJ.getLog());
		String log = IJ.getLog();
		// the old keys (stability_thresh, min_size) still replay; the hint uses the table's names
		assertTrue(log != null && log.contains("no object on 1 plane with pred_iou_thresh 0.5, stability_score_thresh " +
			"0.5, min_object_size 100000") && log.contains("pred_iou_thresh=0.3"), log);
	}

	@Test
	void objectsFoundGiveNoHint() {
		ramp();
		assertEquals("completed", ImageJSupport.runMacro(run("pred_iou_thresh=0.5 stability_thresh=0.5 min_size=0")),
			IJ.getLog());
		String log = IJ.getLog();
		assertFalse(log != null && log.contains("no object on"), log);
		assertTrue(WindowManager.getImage("ramp-labels") != null, "a label image was shown");
	}
}
