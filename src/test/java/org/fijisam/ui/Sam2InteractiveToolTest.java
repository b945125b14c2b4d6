package org.fijisam.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;

import org.fijisam.Fixtures;
import org.fijisam.ImageJSupport;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The toolbar tool with a SAM 2 model (the sam2-tiny fixture, random weights: its masks are
 * arbitrary, so structure is checked): a click gives a preview, Enter accepts it as a ROI and a
 * label, P carries the object through a stack as one label. Real window under Xvfb.
 */
class Sam2InteractiveToolTest {

	static final ModelSettings SAM2 = new ModelSettings(Fixtures.folder("sam2-tiny").toString(),
		ExecutionOptions.Provider.CPU, 2, 64);

	@BeforeAll
	static void start() throws Exception {
		ImageJSupport.start();
	}

	@BeforeEach
	@AfterEach
	void clean() {
		ImageJSupport.clean();
	}

	static ImagePlus blobs() {
		return IJ.openImage(Fixtures.folder("sam2-tiny").resolve("reference/blobs_200x150.png").toString());
	}

	@Test
	void clickAcceptUndo() throws Exception {
		ImagePlus imp = blobs();
		imp.setTitle("sam2tool");
		ToolDriver d = ToolDriver.open(imp, SAM2);
		d.awaitEmbedding(60000);
		long t0 = System.nanoTime();
		d.click(100, 75, false);
		d.awaitMask(t0, 20000);
		int area = InteractiveToolTest.previewArea(imp);
		assertTrue(area > 0, "a preview mask");
		d.key(KeyEvent.VK_ENTER);
		assertEquals(1, d.acceptedCount());
		RoiManager rm = RoiManager.getInstance();
		assertNotNull(rm);
		assertEquals(1, rm.getCount());
		assertEquals(area, rm.getRoi(0).getStatistics().pixelCount, "the accepted ROI is the preview");
		assertEquals(1, d.labels().getStatistics().max, 0.0);
		d.key(KeyEvent.VK_U);
		assertEquals(0, rm.getCount());
		d.close();
	}

	@Test
	void pCarriesTheObjectThroughAStackAsOneLabel() throws Exception {
		ImageProcessor grey = blobs().getProcessor().convertToByte(false);
		ImageStack s = new ImageStack(grey.getWidth(), grey.getHeight());
		for (int z = 0; z < 3; z++) {
			ImageProcessor p = grey.duplicate();
			p.translate(4 * z, 0);
			s.addSlice(p);
		}
		ImagePlus imp = new ImagePlus("sam2stack", s);
		ToolDriver d = ToolDriver.open(imp, SAM2);
		imp.setSlice(2);
		d.awaitEmbedding(60000);
		long t0 = System.nanoTime();
		d.click(100, 75, false);
		d.awaitMask(t0, 20000);
		d.key(KeyEvent.VK_P);
		d.awaitPropagation(120000);
		assertEquals(1, d.acceptedCount(), "one object");
		RoiManager rm = RoiManager.getInstance();
		assertTrue(rm.getCount() >= 1, "at least the start plane's ROI");
		int planes = 0;
		for (int z = 1; z <= 3; z++) {
			d.labels().setSlice(z);
			double max = d.labels().getStatistics().max;
			assertTrue(max == 0 || max == 1, "only label 1 on slice " + z);
			if (max == 1) planes++;
		}
		assertEquals(rm.getCount(), planes, "one ROI per plane the object is on");
		d.key(KeyEvent.VK_U);
		assertEquals(0, rm.getCount(), "undo removes the whole object");
		d.close();
	}
}
