package org.fijisam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;

import org.fijisam.ij.RoiFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example macro of macros/ in a real ImageJ on test-images/, with the fixture model
 * passed as model= (needs a display: xvfb-run).
 */
class MacrosTest {

	static final Path IMAGES = Path.of("test-images").toAbsolutePath();

	@BeforeAll
	static void start() throws Exception {
		ImageJSupport.start();
	}

	@BeforeEach
	@AfterEach
	void clean() {
		ImageJSupport.clean();
	}

	static String run(String macro, String arg) {
		return IJ.runMacroFile(Path.of("macros", macro).toAbsolutePath().toString(), arg);
	}

	static String args() {
		return "images=" + IMAGES + " model=" + Fixtures.folder("known");
	}

	@Test
	void promptsFromRoiManager() {
		run("prompts_from_roi_manager.ijm", args());
		String log = IJ.getLog();
		assertTrue(log.contains("prompts: 24, masks: 24"), log);
		assertTrue(log.contains("labels: max 24"), log);
	}

	@Test
	void batchOverAFolder(@TempDir Path out) throws Exception {
		run("batch_folder_headless.ijm", "input=" + IMAGES + " output=" + out + " model=" + Fixtures.folder(
			"known"));
		String log = IJ.getLog();
		// nuclei and zstack have ROI sets; two-channel and mosaic are skipped.
		assertTrue(log.contains("label images written: 2"), log);
		ImagePlus z = IJ.openImage(out.resolve("zstack-labels.tif").toString());
		assertEquals(12, z.getStackSize());
		assertEquals(36, RoiFiles.read(out.resolve("zstack-rois.zip")).size());
		assertEquals(25, Files.readAllLines(out.resolve("nuclei-results.csv")).size());
	}

	@Test
	void segmentEverythingOnAStack() {
		String result = run("segment_everything_stack.ijm", args());
		String log = IJ.getLog();
		assertTrue(log.contains("label slices: 12"), log);
		assertNull(null, result);
	}
}
