package org.fijisam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;
import ij.process.StackStatistics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** test-images/ is what the generator writes, stays small, and labels match their images. */
class TestImagesTest {

	static final Path DIR = Path.of("test-images");

	@Test
	void committedImagesMatchTheGenerator(@TempDir Path tmp) throws IOException {
		TestImageGenerator.write(tmp);
		for (String f : new String[] { "nuclei.tif", "nuclei-labels.tif", "zstack.tif", "zstack-labels.tif",
			"movie.tif", "movie-labels.tif", "two-channel.tif", "two-channel-labels.tif", "mosaic.png", "mosaic-labels.png" })
		{
			ImagePlus a = IJ.openImage(DIR.resolve(f).toString()), b = IJ.openImage(tmp.resolve(f).toString());
			assertEquals(b.getStackSize(), a.getStackSize(), f);
			for (int i = 1; i <= a.getStackSize(); i++) {
				Object pa = a.getStack().getPixels(i), pb = b.getStack().getPixels(i);
				if (pa instanceof byte[]) assertArrayEquals((byte[]) pb, (byte[]) pa, f);
				else assertArrayEquals((short[]) pb, (short[]) pa, f);
			}
		}
	}

	@Test
	void smallEnoughToCommit() throws IOException {
		long total;
		try (Stream<Path> s = Files.list(DIR)) {
			total = s.mapToLong(p -> p.toFile().length()).sum();
		}
		assertTrue(total < 3_000_000, "test-images/ is " + total + " bytes");
	}

	@Test
	void groundTruthHasTheDocumentedObjects() {
		assertEquals(24, IJ.openImage(DIR.resolve("nuclei-labels.tif").toString()).getStatistics().max, 0.0);
		ImagePlus two = IJ.openImage(DIR.resolve("two-channel.tif").toString());
		assertEquals(2, two.getNChannels());
		assertEquals(16, IJ.openImage(DIR.resolve("zstack.tif").toString()).getBitDepth());
		// A time series, not a z-stack: --propagate t has frames to go through.
		ImagePlus movie = IJ.openImage(DIR.resolve("movie.tif").toString()), truth = IJ.openImage(DIR.resolve(
			"movie-labels.tif").toString());
		assertEquals(16, movie.getNFrames());
		assertEquals(1, movie.getNSlices());
		assertEquals(16, truth.getNFrames());
		assertEquals(4, new StackStatistics(truth).max, 0.0);
		// Object 3 leaves the field and object 4 fades out: both gone from the last frame.
		ImageProcessor last = truth.getStack().getProcessor(16);
		assertEquals(2, last.getStatistics().max, 0.0);
	}
}
