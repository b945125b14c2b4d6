package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;

import org.fijisam.core.amg.LabelImage;
import org.fijisam.core.amg.ObjectStats;
import org.junit.jupiter.api.Test;

class AmgLabelImagesTest {

	static LabelImage labels(int w, int h, int maxLabel) {
		int[] px = new int[w * h];
		List<ObjectStats> objects = new ArrayList<>();
		for (int i = 0; i < maxLabel && i < px.length; i++) {
			px[i] = i + 1;
			objects.add(new ObjectStats(i + 1, 1, i % w, i / w, 1, 1, i % w + 0.5, i / w + 0.5, 0.9f, 0.9f));
		}
		return new LabelImage(w, h, px, maxLabel, objects);
	}

	@Test
	void sixteenBitUntil65535ThenThirtyTwo() {
		ImagePlus small = AmgLabelImages.toImagePlus(labels(300, 300, 65535), "small");
		assertEquals(16, small.getBitDepth());
		assertEquals(65535, small.getProcessor().get(65534));
		ImagePlus big = AmgLabelImages.toImagePlus(labels(300, 300, 70000), "big");
		assertEquals(32, big.getBitDepth());
		assertEquals(70000f, big.getProcessor().getf(69999));
		AmgLabelImages.StackBuilder stack = new AmgLabelImages.StackBuilder(300, 300);
		stack.add(labels(300, 300, 10));
		stack.add(labels(300, 300, 70000));
		ImagePlus s = stack.build("stack");
		assertEquals(32, s.getBitDepth(), "the whole stack switches to 32-bit");
		assertEquals(10f, s.getStack().getProcessor(1).getf(9));
		assertEquals(70000f, s.getStack().getProcessor(2).getf(69999));
	}
}
