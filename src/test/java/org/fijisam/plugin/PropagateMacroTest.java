package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Button;
import java.awt.Choice;
import java.awt.EventQueue;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

import org.fijisam.Fixtures;
import org.fijisam.ImageJSupport;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.SamPredictor;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ij.ObjectPrompt;
import org.fijisam.ij.PromptedPropagation;
import org.fijisam.ij.RoiPrompts;
import org.junit.jupiter.api.Test;

/**
 * "Segment with Prompts" with propagate=z|t in a real ImageJ (needs a display: xvfb-run): one
 * point ROI per object on one plane of test-images/zstack.tif or movie.tif, carried through the
 * stack by the built-in model, compared with the ground truth in 3D; the dialog records keys
 * that replay.
 */
class PropagateMacroTest extends InRealImageJ {

	private static final Path STACK = Path.of("test-images", "zstack.tif");
	private static final Path TRUTH = Path.of("test-images", "zstack-labels.tif");
	private static final int START = 7;
	private static final Path MOVIE = Path.of("test-images", "movie.tif");
	private static final Path MOVIE_TRUTH = Path.of("test-images", "movie-labels.tif");
	private static final int MOVIE_START = 3;

	@Test
	void theDialogRecordsKeysThatReplayAndEachObjectIsFollowedThroughZ() throws Exception {
		String recorded = recordDialog();
		assertTrue(recorded.contains("propagate=z"), recorded);
		for (String key : new String[] { "prompts=roi_manager", "min_overlap=0.20", "min_iou=0.50",
			"min_stability=0.50", "max_planes=0", "label_image", "add_rois", "results_table" })
			assertTrue(recorded.contains(key), key + " in " + recorded);
		SegmentPromptsOptions parsed = SegmentPromptsOptions.parse(recorded, ModelSettings.defaults());
		assertEquals(ImagePlusPlanes.Axis.Z, parsed.propagate);

		ImagePlus truth = IJ.openImage(TRUTH.toString());
		ImagePlus imp = show(IJ.openImage(STACK.toString()));
		imp.setTitle("zstack");
		RoiManager rm = RoiManager.getRoiManager();
		ImageProcessor startTruth = truth.getStack().getProcessor(START);
		int objects = (int) startTruth.getStatistics().max;
		for (int label = 1; label <= objects; label++) {
			double[] c = centre(startTruth, label);
			PointRoi p = new PointRoi(c[0], c[1]);
			p.setPosition(START);
			rm.add(p, -1);
		}
		// The recorded options, replayed with the built-in model (the saved settings may name another).
		String macro = "run(\"Segment with Prompts\", \"" + recorded + " model=[] threads=2\");";
		long t0 = System.nanoTime();
		assertEquals("completed", ImageJSupport.runMacro(macro), IJ.getLog());
		String log = IJ.getLog();
		double seconds = (System.nanoTime() - t0) / 1e9;

		ImagePlus labels = WindowManager.getImage("zstack-labels");
		assertNotNull(labels, "the label stack is shown");
		assertEquals(truth.getStackSize(), labels.getStackSize());
		int rois = 0;
		// Measured with the built-in model: the same 3D IoU as sam-cli (0.79 / 0.86 / 0.83).
		for (int label = 1; label <= objects; label++) {
			double iou = iou3d(labels, truth, label);
			assertTrue(iou >= 0.75, String.format(Locale.ROOT, "object %d: 3D IoU %.3f (%.1f s)%n%s", label, iou,
				seconds, log));
			for (int z = 1; z <= labels.getStackSize(); z++)
				if (count(labels.getStack().getProcessor(z), label) > 0) rois++;
		}
		assertEquals(objects + rois, rm.getCount(), "one ROI per object and slice, after the user's points");
		for (int i = objects; i < rm.getCount(); i++) {
			Roi r = rm.getRoi(i);
			assertTrue(r.getName().startsWith("sam "), r.getName());
			ImageProcessor ip = labels.getStack().getProcessor(r.getPosition());
			int label = Integer.parseInt(r.getName().split(" ")[1]);
			// Where two objects' masks overlap, the later label wins in the label image.
			int inside = 0;
			for (int y = 0; y < ip.getHeight(); y++)
				for (int x = 0; x < ip.getWidth(); x++)
					if ((int) ip.getf(x, y) == label && r.contains(x, y)) inside++;
			assertEquals(count(ip, label), inside, "ROI " + r.getName() + " holds its label on its slice");
			assertTrue(r.getStatistics().pixelCount >= inside);
		}
		ResultsTable rt = ResultsTable.getResultsTable("SAM results");
		assertNotNull(rt);
		assertEquals(rois, rt.size());
		assertTrue(log.contains("planes 1..") || log.contains("stopped at plane"), log);
	}

	/**
	 * propagate=t on test-images/movie.tif: one point per object on frame 3, the same figures as
	 * sam-cli (PropagateCliTest), and the objects that leave or fade out stop where they end.
	 */
	@Test
	void eachObjectIsFollowedThroughTimeFromOneClick() throws Exception {
		ImagePlus truth = IJ.openImage(MOVIE_TRUTH.toString());
		ImagePlus imp = show(IJ.openImage(MOVIE.toString()));
		imp.setTitle("movie");
		RoiManager rm = RoiManager.getRoiManager();
		ImageProcessor startTruth = truth.getStack().getProcessor(MOVIE_START);
		int objects = (int) startTruth.getStatistics().max;
		for (int label = 1; label <= objects; label++) {
			double[] c = centre(startTruth, label);
			PointRoi p = new PointRoi(c[0], c[1]);
			p.setPosition(MOVIE_START);
			rm.add(p, -1);
		}
		String macro = "run(\"Segment with Prompts\", \"prompts=roi_manager propagate=t label_image model=[] " +
			"threads=2\");";
		assertEquals("completed", ImageJSupport.runMacro(macro), IJ.getLog());
		String log = IJ.getLog();
		ImagePlus labels = WindowManager.getImage("movie-labels");
		assertNotNull(labels, "the label movie is shown");
		assertEquals(truth.getNFrames(), labels.getNFrames());
		// Measured with the built-in model: 0.880 / 0.870 / 0.888 / 0.887, as sam-cli.
		for (int label = 1; label <= objects; label++) {
			double iou = iou3d(labels, truth, label);
			assertTrue(iou >= 0.85, String.format(Locale.ROOT, "object %d: space-time IoU %.3f%n%s", label, iou, log));
		}
		// Object 3 leaves the field after frame 14, object 4 fades out after frame 12.
		assertEquals(0, count(labels.getStack().getProcessor(15), 3), log);
		assertEquals(0, count(labels.getStack().getProcessor(13), 4), log);
		assertTrue(count(labels.getStack().getProcessor(12), 3) > 0 && count(labels.getStack().getProcessor(11), 4) >
			0, "carried to within two frames of the end\n" + log);
		assertTrue(log.contains("stopped at plane"), log);
	}

	/** Opens the dialog as a user would, picks propagate=z, presses OK; returns what the Recorder wrote. */
	private static String recordDialog() throws Exception {
		boolean was = Recorder.record;
		Recorder.record = true;
		Recorder.resetCommandOptions();
		try {
			CompletableFuture<SegmentPromptsOptions> shown = CompletableFuture.supplyAsync(() -> SegmentPromptsOptions
				.dialog(false, ModelSettings.defaults()));
			GenericDialog gd = null;
			for (long end = System.currentTimeMillis() + 20000; gd == null && System.currentTimeMillis() < end;) {
				for (Window w : Window.getWindows())
					if (w instanceof GenericDialog && w.isShowing() && "Segment with Prompts".equals(((GenericDialog) w)
						.getTitle())) gd = (GenericDialog) w;
				Thread.sleep(50);
			}
			assertNotNull(gd, "the dialog opened");
			GenericDialog dialog = gd;
			EventQueue.invokeAndWait(() -> {
				for (Object c : dialog.getChoices())
					if (((Choice) c).getItemCount() == 3 && "none".equals(((Choice) c).getItem(0))) ((Choice) c).select(
						"z");
				Button ok = dialog.getButtons()[0];
				dialog.actionPerformed(new ActionEvent(ok, ActionEvent.ACTION_PERFORMED, "OK"));
			});
			SegmentPromptsOptions o = shown.get(20, TimeUnit.SECONDS);
			assertNotNull(o);
			assertEquals(ImagePlusPlanes.Axis.Z, o.propagate);
			String options = Recorder.getCommandOptions();
			assertNotNull(options, "the dialog recorded its options");
			return options.trim();
		}
		finally {
			Recorder.record = was;
			Recorder.resetCommandOptions();
		}
	}

	static final String FIXTURE = "run(\"Segment with Prompts\", \"prompts=roi_manager propagate=z add_rois " +
		"label_image results_table " + ImageJSupport.fixtureModel().replace("\\", "\\\\") + "\");";

	private static ImagePlus stack(String title, int slices) {
		ImageStack s = new ImageStack(64, 64);
		for (int i = 0; i < slices; i++)
			s.addSlice(new ByteProcessor(64, 64));
		return new ImagePlus(title, s);
	}

	@Test
	void badInputStopsTheMacroBeforeAnyWork() {
		IJ.redirectErrorMessages();
		show(new ImagePlus("flat", new ByteProcessor(64, 64)));
		RoiManager rm = SegmentWithPromptsMacroTest.manager(new PointRoi(20, 20));
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE, "nothing to propagate through along z");
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE.replace("propagate=z", "propagate=x"),
			"Unknown propagate=x");
		rm.reset();
		show(stack("three", 3));
		PointRoi far = new PointRoi(20, 20);
		far.setPosition(5);
		rm.add(far, -1);
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE, "outside");
		rm.reset();
		PointRoi a = new PointRoi(20, 20), b = new PointRoi(40, 40);
		a.setPosition(1);
		b.setPosition(2);
		rm.add(a, -1);
		rm.add(b, -1);
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE, "all prompts must be on one plane");
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE.replace("propagate=z", "propagate=t"),
			"nothing to propagate through along t; use propagate=z");
		SegmentWithPromptsMacroTest.assertFailsCleanly(FIXTURE.replace("propagate=z", "propagate=z min_overlap=2"),
			"minimum overlap must be between 0 and 1");
	}

	@Test
	void fixtureObjectIsCarriedAndCancellingKeepsThePlanesDone() throws Exception {
		ImagePlus imp = show(stack("movie", 8));
		RoiManager rm = RoiManager.getRoiManager();
		PointRoi p = new PointRoi(30, 30);
		p.setPosition(4);
		rm.add(p, -1);
		assertEquals("completed", ImageJSupport.runMacro(FIXTURE), IJ.getLog());
		// The fixture segments a disc around every prompt, so the object is found on every slice.
		assertEquals(1 + 8, rm.getCount(), IJ.getLog());
		ImagePlus labels = WindowManager.getImage("movie-labels");
		for (int z = 1; z <= 8; z++)
			assertTrue(count(labels.getStack().getProcessor(z), 1) > 0, "slice " + z);

		List<ObjectPrompt> objects = RoiPrompts.read(imp, new ArrayList<>(List.of(p)), RoiPrompts.AreaMode.BOX,
			false);
		AtomicInteger steps = new AtomicInteger();
		SamPredictor predictor = new SamPredictor(Fixtures.known(), EmbeddingCache.inMemory(64 << 20));
		PromptedPropagation.Result r = new PromptedPropagation(predictor).progress((f, m) -> steps.incrementAndGet())
			.cancellation(() -> steps.get() > 4).run(imp, ImagePlusPlanes.Axis.Z, objects);
		assertTrue(r.cancelled());
		int kept = r.objects().get(0).size();
		assertTrue(kept > 1 && kept < 8, "the planes done before cancelling are kept: " + kept);
		assertTrue(r.summary().get(0).contains("cancelled before plane"), r.summary().toString());
	}

	private static double[] centre(ImageProcessor truth, int label) {
		double sx = 0, sy = 0;
		int n = 0;
		for (int y = 0; y < truth.getHeight(); y++)
			for (int x = 0; x < truth.getWidth(); x++)
				if ((int) truth.getf(x, y) == label) {
					sx += x;
					sy += y;
					n++;
				}
		return new double[] { Math.round(sx / n), Math.round(sy / n) };
	}

	private static int count(ImageProcessor ip, int label) {
		int n = 0;
		for (int i = 0; i < ip.getPixelCount(); i++)
			if ((int) ip.getf(i) == label) n++;
		return n;
	}

	private static double iou3d(ImagePlus found, ImagePlus truth, int label) {
		long inter = 0, union = 0;
		for (int z = 1; z <= truth.getStackSize(); z++) {
			ImageProcessor f = found.getStack().getProcessor(z), t = truth.getStack().getProcessor(z);
			for (int i = 0; i < f.getPixelCount(); i++) {
				boolean a = (int) f.getf(i) == label, b = (int) t.getf(i) == label;
				if (a && b) inter++;
				if (a || b) union++;
			}
		}
		return union == 0 ? 0 : inter / (double) union;
	}
}
