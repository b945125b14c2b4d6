package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;

import org.fijisam.ImageJSupport;
import org.fijisam.ij.ModelRegistry;
import org.junit.jupiter.api.Test;

/**
 * "Segment with Prompts" run as a macro in a real ImageJ (needs a display: xvfb-run), with the
 * fixture model: outputs, model reuse between calls, and bad input that must stop the macro
 * and leave the image and the ROIs as they were.
 */
class SegmentWithPromptsMacroTest extends InRealImageJ {

	static final String RUN = "run(\"Segment with Prompts\", \"prompts=roi_manager multimask=auto add_rois " +
		"label_image results_table " + ImageJSupport.fixtureModel().replace("\\", "\\\\") + "\");";


	static RoiManager manager(Roi... rois) {
		RoiManager rm = RoiManager.getRoiManager();
		for (Roi r : rois)
			rm.addRoi(r);
		return rm;
	}

	@Test
	void pointsFromTheRoiManagerBecomeRoisLabelsAndATable() {
		ImagePlus imp = show(new ImagePlus("cells", new ByteProcessor(128, 128)));
		RoiManager rm = manager(new PointRoi(40, 40), new PointRoi(90, 90));
		Roi before0 = rm.getRoi(0);
		assertEquals("completed", ImageJSupport.runMacro(RUN), IJ.getLog());
		// First run added 2 ROIs; the user's two are untouched.
		assertEquals(4, rm.getCount());
		assertTrue(before0.equals(rm.getRoi(0)) || rm.getRoi(0).getType() == Roi.POINT);
		Roi mask = rm.getRoi(2);
		assertTrue(mask.getName().startsWith("sam 1 "), mask.getName());
		assertTrue(mask.getName().contains("score 0.95"), mask.getName());
		// Fixture: best-score mask = disc of 8 low-res px = 16 image px around the point.
		double area = mask.getStatistics().pixelCount;
		assertEquals(Math.PI * 16 * 16, area, 0.08 * Math.PI * 256);
		assertTrue(mask.contains(40, 40));
		ImagePlus labels = WindowManager.getImage("cells-labels");
		assertNotNull(labels);
		assertEquals(16, labels.getBitDepth());
		assertEquals(area, countLabel(labels, 1), 0.0, "ROI and label image agree pixel for pixel");
		ResultsTable rt = ResultsTable.getResultsTable("SAM results");
		assertNotNull(rt);
		assertEquals(2, rt.size());
		assertEquals(area, rt.getValue("Area (px)", 0), 0.0);
	}

	@Test
	void singleMaskChoiceIsAcceptedByTheMacroAndTakesToken0() {
		show(new ImagePlus("single", new ByteProcessor(128, 128)));
		RoiManager rm = manager(new PointRoi(40, 40));
		assertEquals("completed", ImageJSupport.runMacro(RUN.replace("multimask=auto", "multimask=single")), IJ
			.getLog());
		Roi mask = rm.getRoi(1);
		// Fixture: token 0 has IoU 0.90 (the best-scored ambiguity mask has 0.95).
		assertTrue(mask.getName().contains("score 0.90"), mask.getName());
	}

	static int countLabel(ImagePlus labels, int label) {
		int n = 0;
		short[] px = (short[]) labels.getProcessor().getPixels();
		for (short s : px)
			if (s == label) n++;
		return n;
	}

	@Test
	void overlayOutlinesAreAddedToTheUsersOverlay() {
		ImagePlus imp = show(new ImagePlus("ov", new ByteProcessor(64, 64)));
		ij.gui.Overlay user = new ij.gui.Overlay(new ij.gui.TextRoi(2, 2, "note"));
		imp.setOverlay(user);
		PointRoi sel = new PointRoi(30, 30);
		imp.setRoi(sel);
		assertEquals("completed", ImageJSupport.runMacro(RUN.replace("prompts=roi_manager", "prompts=selection")
			.replace("add_rois label_image results_table", "show_overlay")), IJ.getLog());
		assertEquals(2, imp.getOverlay().size());
		assertTrue(imp.getOverlay().get(0) instanceof ij.gui.TextRoi);
		assertEquals(sel, imp.getRoi(), "the selection stays");
		assertNull(RoiManager.getInstance() == null ? null : RoiManager.getInstance().getCount() > 0 ? "added"
			: null, "add_rois was not asked for");
	}

	@Test
	void theModelStaysLoadedBetweenMacroCalls() {
		show(new ImagePlus("one", new ByteProcessor(64, 64)));
		manager(new PointRoi(20, 20));
		ImageJSupport.runBatchMacro(RUN);
		int loads = ModelRegistry.shared().loadCount();
		assertEquals("completed", ImageJSupport.runBatchMacro("selectImage(\"one\");\n" + RUN + "\n" + RUN));
		assertEquals(loads, ModelRegistry.shared().loadCount());
	}

	@Test
	void stackRoisKeepTheirSlice() {
		ImageStack s = new ImageStack(64, 64);
		for (int i = 0; i < 3; i++)
			s.addSlice(new ByteProcessor(64, 64));
		show(new ImagePlus("stack", s));
		PointRoi p = new PointRoi(30, 30);
		p.setPosition(2);
		RoiManager rm = manager();
		rm.add(p, -1);
		assertEquals("completed", ImageJSupport.runMacro(RUN), IJ.getLog());
		assertEquals(2, rm.getCount());
		assertEquals(2, rm.getRoi(1).getPosition());
		ImagePlus labels = WindowManager.getImage("stack-labels");
		labels.setSlice(2);
		assertTrue(countLabel(labels, 1) > 0);
		labels.setSlice(1);
		assertEquals(0, countLabel(labels, 1));
	}

	/** Runs a macro that must fail: it is stopped, says why, and changes nothing. */
	static void assertFailsCleanly(String macro, String expectedInMessage) {
		ImagePlus imp = WindowManager.getCurrentImage();
		Object pixels = imp == null ? null : imp.getProcessor().getPixelsCopy();
		Roi selection = imp == null ? null : imp.getRoi();
		RoiManager rm = RoiManager.getInstance();
		Roi[] rois = rm == null ? new Roi[0] : rm.getRoisAsArray();
		int images = WindowManager.getImageCount();
		String result = ImageJSupport.runBatchMacro(macro + "\nprint(\"went on\");");
		String log = IJ.getLog() == null ? "" : IJ.getLog();
		assertNull(result, "the macro must stop on error; log: " + log);
		assertTrue(!log.contains("went on"), log);
		assertTrue(log.toLowerCase().contains(expectedInMessage.toLowerCase()), "message should mention '" +
			expectedInMessage + "': " + log);
		Interpreter.batchMode = false;
		if (imp != null) {
			assertTrue(Arrays.equals((byte[]) pixels, (byte[]) imp.getProcessor().getPixels()));
			assertEquals(selection, imp.getRoi());
			assertNull(imp.getOverlay());
		}
		RoiManager after = RoiManager.getInstance();
		assertEquals(rois.length, after == null ? 0 : after.getCount());
		for (int i = 0; i < rois.length; i++)
			assertTrue(rois[i] == after.getRoi(i) || rois[i].equals(after.getRoi(i)));
		assertEquals(images, WindowManager.getImageCount());
		IJ.log("\\Clear");
	}

	@Test
	void badInputStopsTheMacroAndChangesNothing() {
		assertFailsCleanly(RUN, "No image is open");
		show(new ImagePlus("img", new ByteProcessor(64, 64)));
		assertFailsCleanly(RUN, "ROI Manager is empty");
		assertFailsCleanly(RUN.replace("prompts=roi_manager", "prompts=selection"), "no selection");
		manager(new PointRoi(20, 20));
		assertFailsCleanly(RUN.replace("known", "no-such-model"), "does not exist");
		assertFailsCleanly(RUN.replace("known", "not-sam"), "image_embeddings");
		assertFailsCleanly(RUN.replace("known", "bad-hash"), "SHA-256");
		assertFailsCleanly(RUN.replace("threads=1", "threads=1 provider=cuda"), "this build has no CUDA support: " +
			"build with -Pgpu / put onnxruntime_gpu in jars/");
		assertFailsCleanly(RUN.replace("threads=1", "threads=1000"), "threads=1000: this machine has " + Runtime
			.getRuntime().availableProcessors());
		assertFailsCleanly(RUN.replace("threads=1", "threads=1 channels=3"), "channel");
		assertFailsCleanly(RUN.replace("multimask=auto", "multimask=biggest"), "Unknown mask choice");
	}

	@Test
	void settingsLoadTheModelAndReportProblems() {
		String model = ImageJSupport.fixtureModel().replace("\\", "\\\\");
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Segment Anything Settings\", \"" + model +
			" provider=cpu cache_mb=64 reload\");"), IJ.getLog());
		assertTrue(ModelRegistry.shared().describe().contains("known"), ModelRegistry.shared().describe());
		assertFailsCleanly("run(\"Segment Anything Settings\", \"model=[/no/such/folder]\");", "does not exist");
	}

	@Test
	void pointOutsideAndUnpositionedStackRoiAreRefused() {
		ImageStack s = new ImageStack(64, 64);
		for (int i = 0; i < 3; i++)
			s.addSlice(new ByteProcessor(64, 64));
		show(new ImagePlus("stack", s));
		RoiManager rm = manager();
		rm.add(new PointRoi(10, 10), -1);
		assertFailsCleanly(RUN, "no slice position");
		rm.reset();
		show(new ImagePlus("small", new ByteProcessor(32, 32)));
		PointRoi far = new PointRoi(10, 10);
		far.addPoint(200, 10);
		rm.add(far, -1);
		assertFailsCleanly(RUN, "outside");
	}
}
