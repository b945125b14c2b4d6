package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.amg.LabelImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label planes spooled to disk come back, and save, exactly as added. */
class SpooledLabelStackTest {

	static LabelImage plane(int w, int h, int seed, int max) {
		int[] labels = new int[w * h];
		for (int i = 0; i < labels.length; i++)
			labels[i] = (i * 31 + seed * 7) % (max + 1);
		labels[labels.length - 1] = max;
		return new LabelImage(w, h, labels, max, List.of());
	}

	@Test
	void planesSaveAsA16BitTiffStackAndTheScratchFileGoes(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("labels.tif");
		try (SpooledLabelStack stack = new SpooledLabelStack(30, 20, dir)) {
			for (int z = 0; z < 4; z++)
				stack.add(plane(30, 20, z, 500));
			ImagePlus imp = stack.toImagePlus("labels");
			assertEquals(16, imp.getBitDepth());
			ImageFiles.saveTiff(imp, out);
		}
		ImagePlus back = IJ.openImage(out.toString());
		assertEquals(4, back.getStackSize());
		assertEquals(16, back.getBitDepth());
		for (int z = 0; z < 4; z++) {
			int[] want = plane(30, 20, z, 500).labels();
			for (int i = 0; i < want.length; i++)
				assertEquals(want[i], back.getStack().getProcessor(z + 1).get(i), "plane " + z + " pixel " + i);
		}
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(out), files.collect(Collectors.toList()), "only the result is left");
		}
	}

	@Test
	void aLabelAbove65535AnywhereMakesEveryPlane32Bit(@TempDir Path dir) throws Exception {
		try (SpooledLabelStack stack = new SpooledLabelStack(8, 8, dir)) {
			stack.add(plane(8, 8, 0, 40));
			stack.add(plane(8, 8, 1, 70000));
			ImagePlus imp = stack.toImagePlus("labels");
			assertEquals(32, imp.getBitDepth());
			assertEquals(plane(8, 8, 0, 40).labels()[9], (int) imp.getStack().getProcessor(1).getf(9));
			int[] big = plane(8, 8, 1, 70000).labels();
			boolean sawLarge = false;
			for (int i = 0; i < big.length; i++) {
				assertEquals(big[i], (int) imp.getStack().getProcessor(2).getf(i));
				sawLarge |= big[i] > 65535;
			}
			assertTrue(sawLarge, "the fixture has labels above 65,535");
		}
	}

	@Test
	void aPlaneOfTheWrongSizeIsRefused(@TempDir Path dir) throws Exception {
		try (SpooledLabelStack stack = new SpooledLabelStack(8, 8, dir)) {
			IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> stack.add(plane(9, 8, 0, 3)));
			assertTrue(e.getMessage().contains("9x8"), e.getMessage());
		}
	}
}
