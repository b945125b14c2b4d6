package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import org.fijisam.core.InvalidPromptException;
import org.junit.jupiter.api.Test;

/** The ROI -> prompt rules documented in {@link RoiPrompts}. */
class RoiPromptsTest {

	static ImagePlus image() {
		return new ImagePlus("img", new ByteProcessor(100, 80));
	}

	static ImagePlus stack(int slices) {
		ImageStack s = new ImageStack(100, 80);
		for (int i = 0; i < slices; i++)
			s.addSlice(new ByteProcessor(100, 80));
		return new ImagePlus("stack", s);
	}

	@Test
	void pointsAreForegroundAtPixelCentresAndRectanglesAreBoxes() throws Exception {
		List<ObjectPrompt> o = RoiPrompts.read(image(), Arrays.asList(new PointRoi(10, 20), new Roi(5, 6, 30, 40)),
			RoiPrompts.AreaMode.BOX, false);
		assertEquals(2, o.size());
		assertEquals(10.5, o.get(0).points().get(0).x);
		assertEquals(20.5, o.get(0).points().get(0).y);
		assertTrue(o.get(0).points().get(0).foreground);
		assertArrayEquals(new double[] { 5, 6, 35, 46 }, o.get(1).box());
	}

	@Test
	void negativePointsByNameOrGroupJoinEveryObjectOfThePlane() throws Exception {
		PointRoi neg = new PointRoi(50, 50);
		neg.setName("neg background");
		PointRoi neg2 = new PointRoi(60, 60);
		neg2.setGroup(RoiPrompts.NEGATIVE_GROUP);
		List<ObjectPrompt> o = RoiPrompts.read(image(), Arrays.asList(new PointRoi(10, 20), neg, neg2, new Roi(5,
			6, 30, 40)), RoiPrompts.AreaMode.BOX, false);
		assertEquals(2, o.size());
		for (ObjectPrompt p : o)
			assertEquals(2, p.points().stream().filter(q -> !q.foreground).count());
	}

	@Test
	void roisSharingAGroupAreOneObject() throws Exception {
		PointRoi p = new PointRoi(20, 20);
		p.setGroup(5);
		Roi box = new Roi(10, 10, 30, 30);
		box.setGroup(5);
		List<ObjectPrompt> o = RoiPrompts.read(image(), Arrays.asList(p, box), RoiPrompts.AreaMode.BOX, false);
		assertEquals(1, o.size());
		assertEquals(1, o.get(0).points().size());
		assertNotNull(o.get(0).box());
	}

	@Test
	void areaRoisAreBoxesOrMaskPrompts() throws Exception {
		Roi oval = new OvalRoi(10, 10, 20, 20);
		ObjectPrompt box = RoiPrompts.read(image(), Arrays.asList(oval), RoiPrompts.AreaMode.BOX, false).get(0);
		assertArrayEquals(new double[] { 10, 10, 30, 30 }, box.box());
		assertNull(box.area());
		ObjectPrompt mask = RoiPrompts.read(image(), Arrays.asList(oval), RoiPrompts.AreaMode.MASK, false).get(0);
		assertEquals(oval.getStatistics().pixelCount, mask.area().area());
	}

	@Test
	void stackPositionsAreHonouredAndMissingOnesExplained() throws Exception {
		ImagePlus imp = stack(5);
		PointRoi p = new PointRoi(10, 10);
		p.setPosition(3);
		assertEquals(3, RoiPrompts.read(imp, Arrays.asList(p), RoiPrompts.AreaMode.BOX, false).get(0).slice());
		PointRoi none = new PointRoi(10, 10);
		InvalidPromptException e = assertThrows(InvalidPromptException.class, () -> RoiPrompts.read(imp, Arrays
			.asList(none), RoiPrompts.AreaMode.BOX, false));
		assertTrue(e.getMessage().contains("no slice position"), e.getMessage());
		imp.setSlice(4);
		assertEquals(4, RoiPrompts.read(imp, Arrays.asList(none), RoiPrompts.AreaMode.BOX, true).get(0).slice());
	}

	@Test
	void badRoisAreRefusedWithAReason() {
		assertTrue(assertThrows(InvalidPromptException.class, () -> RoiPrompts.read(image(), Arrays.asList(
			new PointRoi(150, 10)), RoiPrompts.AreaMode.BOX, false)).getMessage().contains("outside"));
		assertTrue(assertThrows(InvalidPromptException.class, () -> RoiPrompts.read(image(), Arrays.asList(
			new Line(1, 1, 20, 20)), RoiPrompts.AreaMode.BOX, false)).getMessage().contains("line"));
		PointRoi neg = new PointRoi(5, 5);
		neg.setName("negative");
		assertTrue(assertThrows(InvalidPromptException.class, () -> RoiPrompts.read(image(), Arrays.asList(neg),
			RoiPrompts.AreaMode.BOX, false)).getMessage().contains("foreground"));
		assertFalse(assertThrows(InvalidPromptException.class, () -> RoiPrompts.read(image(), Arrays.asList(),
			RoiPrompts.AreaMode.BOX, false)).getMessage().isEmpty());
	}
}
