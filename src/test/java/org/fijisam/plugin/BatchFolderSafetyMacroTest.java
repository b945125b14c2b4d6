package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

import org.fijisam.ImageJSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Batch Segment Folder" as a macro in a real ImageJ, with the folders a user really has:
 * images sharing a name, an image named like an output, the output folder inside the inputs,
 * a damaged file, an output that is a file. Nothing is lost and errors stop the macro with
 * words, not traces.
 */
class BatchFolderSafetyMacroTest extends InRealImageJ {

	static void image(Path dir, String name) {
		ByteProcessor ip = new ByteProcessor(96, 80);
		for (int y = 0; y < 80; y++)
			for (int x = 0; x < 96; x++)
				ip.set(x, y, 2 * x);
		ImagePlus imp = new ImagePlus(name, ip);
		assertTrue(name.endsWith(".png") ? new FileSaver(imp).saveAsPng(dir.resolve(name).toString())
			: new FileSaver(imp).saveAsTiff(dir.resolve(name).toString()));
	}

	static String batch(Path in, Path out) {
		return ImageJSupport.runBatchMacro("run(\"Batch Segment Folder\", \"input=[" + in + "] output=[" + out +
			"] mode=everything preset=default points_per_side=2 " + ImageJSupport.fixtureModel() + "\");");
	}

	@Test
	void imagesSharingANameAndLookingLikeOutputsAreAllSegmented(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		image(in, "a.tif");
		image(in, "a.png");
		image(in, "c-labels.tif");
		assertEquals("completed", batch(in, out), IJ.getLog());
		image(in, "d_labels.tif");
		// everything mode writes what sam-cli auto writes (rois: the ROI set too)
		assertEquals("completed", ImageJSupport.runBatchMacro("run(\"Batch Segment Folder\", \"input=[" + in +
			"] output=[" + out + "] mode=everything preset=default points_per_side=2 rois " + ImageJSupport
				.fixtureModel() + "\");"), IJ.getLog());
		for (String n : new String[] { "a_tif_labels.tif", "a_png_labels.tif", "c-labels_labels.tif",
			"d_labels_labels.tif", "a_tif_objects.csv", "a_png_rois.zip" })
			assertTrue(Files.isRegularFile(out.resolve(n)), n + " in " + IJ.getLog());
		assertTrue(IJ.getLog().contains("a.png -> a_png_*"), IJ.getLog());
	}

	@Test
	void outputFolderEqualToTheInputFolderNeverSegmentsOrOverwritesInputs(@TempDir Path dir) throws Exception {
		image(dir, "a.tif");
		byte[] input = Files.readAllBytes(dir.resolve("a.tif"));
		assertEquals("completed", batch(dir, dir), IJ.getLog());
		assertEquals("completed", batch(dir, dir), IJ.getLog());
		assertFalse(Files.exists(dir.resolve("a_labels_labels.tif")), "its own output is not an input");
		assertTrue(Files.exists(dir.resolve("a_labels.tif")));
		assertArrayEquals(input, Files.readAllBytes(dir.resolve("a.tif")));
	}

	@Test
	void damagedImageIsNamedAndTheOthersAreDone(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		image(in, "a.tif");
		Files.write(in.resolve("b.tif"), new byte[] { 'I', 'I', 42, 0, 9, 9, 9 });
		assertNull(batch(in, out), "the macro stops on the failure: " + IJ.getLog());
		String log = IJ.getLog();
		assertTrue(log.contains("1 of 2 images failed (1 segmented)") && log.contains("b.tif"), log);
		assertFalse(log.contains("Exception") || log.contains("\tat "), log);
		assertTrue(Files.isRegularFile(out.resolve("a_labels.tif")));
	}

	@Test
	void outputThatIsAFileStopsTheMacroBeforeAnyWork(@TempDir Path dir) throws Exception {
		Path in = Files.createDirectories(dir.resolve("in"));
		image(in, "a.tif");
		Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
		assertNull(batch(in, file), IJ.getLog());
		assertTrue(IJ.getLog().contains("is a file; give a folder"), IJ.getLog());
		assertEquals("mine", Files.readString(file));
	}
}
