package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

import org.fijisam.core.UnsupportedImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming opens of stacks: planes come from disk, with the same values and dimensions as a full open. */
class ImageFilesTest {

	@Test
	void tiffHyperstackStreamsWithTheSameDimensionsAndPixels(@TempDir Path dir) throws Exception {
		ImagePlus h = IJ.createHyperStack("h", 40, 30, 2, 3, 4, 16);
		for (int i = 1; i <= h.getStackSize(); i++) {
			ShortProcessor sp = (ShortProcessor) h.getStack().getProcessor(i);
			for (int p = 0; p < 40 * 30; p++)
				sp.set(p, i * 100 + p % 97);
		}
		Path file = dir.resolve("hyper.tif");
		new FileSaver(h).saveAsTiff(file.toString());
		ImagePlus streamed = ImageFiles.openStreaming(file), full = ImageFiles.open(file);
		assertTrue(streamed.getStack().isVirtual(), "planes are read on demand");
		assertFalse(full.getStack().isVirtual());
		assertArrayEquals(full.getDimensions(), streamed.getDimensions());
		for (int i = 1; i <= full.getStackSize(); i++)
			assertArrayEquals((short[]) full.getStack().getPixels(i), (short[]) streamed.getStack().getProcessor(i)
				.getPixels(), "plane " + i);
	}

	@Test
	void singleImagesAndOtherFormatsOpenInFull(@TempDir Path dir) throws Exception {
		Path png = dir.resolve("a.png");
		new FileSaver(new ImagePlus("a", new ShortProcessor(20, 10).convertToByte(false))).saveAsPng(png.toString());
		ImagePlus imp = ImageFiles.openStreaming(png);
		assertEquals(20, imp.getWidth());
		assertFalse(imp.getStack().isVirtual());
	}

	@Test
	void damagedTiffIsExplainedNotOpened(@TempDir Path dir) throws Exception {
		Path bad = Files.write(dir.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(
			bad));
		assertTrue(e.getMessage().contains("damaged"), e.getMessage());
	}
}
