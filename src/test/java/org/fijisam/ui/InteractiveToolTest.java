package org.fijisam.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;

import org.fijisam.Fixtures;
import org.fijisam.ImageJSupport;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The toolbar tool in a real window (Xvfb), driven by posted mouse and key events. */
class InteractiveToolTest {

	static final ModelSettings FIXTURE = new ModelSettings(Fixtures.folder("known").toString(),
		ExecutionOptions.Provider.CPU, 1, 64);

	@BeforeAll
	static void start() throws Exception {
		ImageJSupport.start();
	}

	@BeforeEach
	@AfterEach
	void clean() {
		ImageJSupport.clean();
	}

	static int previewArea(ImagePlus imp) {
		Overlay ov = imp.getOverlay();
		if (ov == null) return 0;
		for (Roi r : ov.toArray())
			if (PreviewOverlay.NAME.equals(r.getName()) && r.isArea() && !(r instanceof ij.gui.ImageRoi) &&
				!java.awt.Color.orange.equals(r.getStrokeColor())) return r.getStatistics().pixelCount;
		return 0;
	}

	@Test
	void clickCycleAcceptUndo() throws Exception {
		ImagePlus imp = new ImagePlus("tool", new ByteProcessor(128, 128));
		Overlay user = new Overlay(new TextRoi(5, 5, "user note"));
		imp.setOverlay(user);
		ToolDriver d = ToolDriver.open(imp, FIXTURE);
		d.awaitEmbedding(30000);
		long t0 = System.nanoTime();
		d.click(60, 50, false);
		d.awaitMask(t0, 10000);
		// Fixture, one point: best-score mask = token 2, a disc of radius 16 image px.
		int first = previewArea(imp);
		assertEquals(Math.PI * 256, first, 0.08 * Math.PI * 256);
		assertTrue(imp.getOverlay().toArray()[0] instanceof TextRoi, "the user's overlay stays");
		d.key(KeyEvent.VK_C);
		int second = previewArea(imp);
		assertTrue(second != first, "C shows another ambiguity mask: " + first + " -> " + second);
		d.key(KeyEvent.VK_ENTER);
		assertEquals(1, d.acceptedCount());
		RoiManager rm = RoiManager.getInstance();
		assertNotNull(rm);
		assertEquals(1, rm.getCount());
		assertEquals(second, rm.getRoi(0).getStatistics().pixelCount);
		assertNotNull(d.labels());
		assertEquals(0, previewArea(imp), "accepting clears the preview");
		d.key(KeyEvent.VK_U);
		assertEquals(0, rm.getCount());
		assertEquals(0, d.acceptedCount());
		assertEquals(0, d.labels().getStatistics().max, 0.0);
		d.close();
	}

	@Test
	void altClickCarvesAndDragMakesABox() throws Exception {
		ImagePlus imp = new ImagePlus("tool2", new ByteProcessor(128, 128));
		ToolDriver d = ToolDriver.open(imp, FIXTURE);
		d.awaitEmbedding(30000);
		long t0 = System.nanoTime();
		d.drag(20, 30, 60, 90);
		d.awaitMask(t0, 10000);
		// Fixture box: token 0 = the box itself (40 x 60 image px).
		assertEquals(40 * 60, previewArea(imp), 40 * 4);
		t0 = System.nanoTime();
		d.click(40, 60, true);
		d.awaitMask(t0, 10000);
		assertTrue(previewArea(imp) < 40 * 60, "a background point removes pixels");
		d.key(KeyEvent.VK_ESCAPE);
		assertEquals(0, previewArea(imp));
		d.close();
	}

	@Test
	void changingSliceEncodesInTheBackground() throws Exception {
		ImageStack s = new ImageStack(64, 64);
		for (int i = 0; i < 3; i++) {
			ByteProcessor bp = new ByteProcessor(64, 64);
			bp.setValue(40 * i);
			bp.fill();
			s.addSlice(bp);
		}
		ImagePlus imp = new ImagePlus("stack", s);
		ToolDriver d = ToolDriver.open(imp, FIXTURE);
		d.awaitEmbedding(30000);
		imp.setSlice(3);
		d.awaitEmbedding(30000);
		long t0 = System.nanoTime();
		d.click(30, 30, false);
		d.awaitMask(t0, 10000);
		d.key(KeyEvent.VK_A);
		RoiManager rm = RoiManager.getInstance();
		assertEquals(3, rm.getRoi(0).getPosition());
		d.labels().setSlice(3);
		assertTrue(d.labels().getStatistics().max > 0);
		d.labels().setSlice(1);
		assertEquals(0, d.labels().getStatistics().max, 0.0);
		assertNull(null);
		d.close();
	}

	@Test
	void pCarriesTheObjectThroughTheSlicesAsOneLabelledObject() throws Exception {
		ImageStack s = new ImageStack(64, 64);
		for (int i = 0; i < 5; i++)
			s.addSlice(new ByteProcessor(64, 64));
		ImagePlus imp = new ImagePlus("pstack", s);
		ToolDriver d = ToolDriver.open(imp, FIXTURE);
		imp.setSlice(3);
		d.awaitEmbedding(30000);
		long t0 = System.nanoTime();
		d.click(30, 30, false);
		d.awaitMask(t0, 10000);
		d.key(KeyEvent.VK_P, java.awt.event.InputEvent.SHIFT_DOWN_MASK);
		d.awaitPropagation(30000);
		assertEquals(0, d.acceptedCount(), "Shift+P: no frames to go through, nothing added");
		d.key(KeyEvent.VK_P);
		d.awaitPropagation(60000);
		// The fixture segments a disc around every prompt: the object is on all 5 slices.
		assertEquals(1, d.acceptedCount());
		RoiManager rm = RoiManager.getInstance();
		assertEquals(5, rm.getCount());
		for (int z = 1; z <= 5; z++) {
			assertEquals(z, rm.getRoi(z - 1).getPosition());
			assertTrue(rm.getRoi(z - 1).getName().startsWith("sam 1 "), rm.getRoi(z - 1).getName());
			d.labels().setSlice(z);
			assertEquals(1, d.labels().getStatistics().max, 0.0, "label 1 on slice " + z);
		}
		assertEquals(0, previewArea(imp), "the object was taken over: the preview is cleared");
		d.key(KeyEvent.VK_U);
		assertEquals(0, rm.getCount(), "undo removes the whole object");
		for (int z = 1; z <= 5; z++) {
			d.labels().setSlice(z);
			assertEquals(0, d.labels().getStatistics().max, 0.0);
		}
		d.close();
	}
}
