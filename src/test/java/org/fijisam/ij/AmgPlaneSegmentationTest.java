package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;

import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.fake.FakeSamModel;
import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.AutomaticSettings;
import org.junit.jupiter.api.Test;

/**
 * The plugin's automatic segmentation through core AMG on the fake model (plain Java), which
 * answers as the "known" fixture does (discs of 32 px).
 */
class AmgPlaneSegmentationTest {

	static ByteProcessor gradient(int w, int h, int offset) {
		ByteProcessor bp = new ByteProcessor(w, h);
		for (int i = 0; i < w * h; i++)
			bp.set(i, offset + (i % w) * 200 / w);
		return bp;
	}

	@Test
	void planesOfAStackGiveTheDiscs() throws Exception {
		// "default" and stability_thresh: the keys of macros recorded before the option table
		AutomaticSettings p = AutomaticSettings.of(AutomaticOptions.SEGMENTATION.values(Map.of("preset", "default",
			"points_per_side", "2", "pred_iou_thresh", "0.9", "stability_thresh", "0.5")));
		AmgPlaneSegmentation amg = AmgPlaneSegmentation.of(p, FakeSamModel.known().spec());
		assertEquals(2, amg.parameters().pointsPerSide());
		assertEquals(0.5, amg.parameters().stabilityScoreThresh(), 1e-12);
		ImageStack stack = new ImageStack(256, 256);
		stack.addSlice(gradient(256, 256, 0));
		stack.addSlice(gradient(256, 256, 40));
		ImagePlus imp = new ImagePlus("stack", stack);
		try (SamModel model = FakeSamModel.known()) {
			SamPredictor predictor = new SamPredictor(model);
			for (int z = 1; z <= 2; z++) {
				List<ObjectResult> objects = amg.segmentPlane(predictor, imp, z, 1, ProgressListener.NONE);
				assertEquals(4, objects.size());
				for (ObjectResult o : objects) {
					assertEquals(z, o.slice());
					assertEquals(Math.PI * 32 * 32, o.mask().area(), Math.PI * 32 * 32 * 0.06);
				}
				assertTrue(objects.get(0).mask().get(64, 64));
			}
		}
		AutomaticSettings micro = AutomaticSettings.of(AutomaticOptions.SEGMENTATION.values(Map.of("preset",
			"microscopy")));
		assertTrue(micro.parameters("sam_default").minObjectSize() > 0);
		// preset auto: the model's recommended one
		AutomaticSettings auto = AutomaticSettings.of(AutomaticOptions.SEGMENTATION.values(Map.of()));
		assertEquals(micro.parameters("sam_default"), auto.parameters("microscopy"));
	}
}
