package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;

/** Every kind of bad input gets its own exception and a message that says what to do. */
class BadInputTest {

	@Test
	void emptyAndSinglePixelImages() {
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> SamImages.fromGrey(Views
			.interval(ArrayImgs.unsignedBytes(4, 4), new long[] { 0, 0 }, new long[] { -1, 3 }), Normalization.auto()));
		assertTrue(e.getMessage().contains("empty"), e.getMessage());
		e = assertThrows(UnsupportedImageException.class, () -> SamImages.fromGrey(ArrayImgs.unsignedBytes(1, 1),
			Normalization.auto()));
		assertTrue(e.getMessage().contains("single pixel"), e.getMessage());
	}

	@Test
	void stacksMustBeSliced() {
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> SamImages.fromInterval(
			ArrayImgs.unsignedBytes(8, 8, 5), -1, null, Normalization.auto()));
		assertTrue(e.getMessage().contains("Select a single slice"), e.getMessage());
	}

	@Test
	void channelChoiceOutsideTheImage() {
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> SamImages.fromInterval(
			ArrayImgs.unsignedBytes(8, 8, 2), 2, ChannelMapping.of(0, 1, 2), Normalization.auto()));
		assertTrue(e.getMessage().contains("has 2 channel"), e.getMessage());
	}

	private static void expectPrompt(Prompt p, String fragment) {
		InvalidPromptException e = assertThrows(InvalidPromptException.class, () -> p.validate(100, 50));
		assertTrue(e.getMessage().contains(fragment), e.getMessage());
	}

	@Test
	void badPrompts() {
		expectPrompt(Prompt.builder().build(), "No prompt");
		expectPrompt(Prompt.point(150, 10), "outside");
		expectPrompt(Prompt.point(10, -1), "outside");
		expectPrompt(Prompt.box(50, 10, 20, 40), "x1 < x0");
		expectPrompt(Prompt.box(150, 60, 200, 80), "outside");
		expectPrompt(Prompt.box(5, 5, 5, 5), "no size");
		expectPrompt(Prompt.builder().mask(new LowResMask(2, new float[4])).build(), "needs at least one point");
	}

	@Test
	void badOptionsText() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.parse("fixed:5"));
		assertTrue(e.getMessage().contains("fixed:MIN,MAX"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> MaskSelection.parse("biggest"));
		assertTrue(e.getMessage().contains("largest"), e.getMessage());
	}
}
