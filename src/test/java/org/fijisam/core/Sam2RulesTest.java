package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * SAM 2's rules around the network, in core: antialiased float resize, stretched geometry,
 * prompt encoding (box first, no caller padding, clamped mask input), single mask by stability.
 * End-to-end fidelity against the official code: onnx.OfficialSam2FidelityTest.
 */
class Sam2RulesTest {

	@Test
	void antialiasedResizeEnlargesLikeBilinearAndAveragesWhenShrinking() {
		float[] src = new float[7 * 5];
		for (int i = 0; i < src.length; i++)
			src[i] = (i * 37 % 11) / 10f;
		// Enlarging: the triangle filter is PyTorch's half-pixel bilinear.
		float[] up = AntialiasedResize.resize(src, 7, 5, 20, 13), plain = Bilinear.resize(src, 7, 5, 20, 13);
		for (int i = 0; i < up.length; i++)
			assertEquals(plain[i], up[i], 1e-6, "pixel " + i);
		// Halving: each output averages its 2x2 block with weights 1/8, 3/8, 3/8, 1/8 over 4 taps.
		float[] row = { 0, 0, 8, 8, 0, 0, 8, 8 };
		float[] half = AntialiasedResize.resize(row, 8, 1, 4, 1);
		// Output 1 centred at 3: taps 1..4 weights .125,.375,.375,.125 -> 0 + 3 + 3 + 0 = 6.
		assertEquals(6f, half[1], 1e-6);
		// Output 0 centred at 1: taps 0..2 (tap -1 missing, weights renormalised): (.375*0 + .375*0 + .125*8)/.875.
		assertEquals(8 * 0.125f / 0.875f, half[0], 1e-6);
		assertArrayEquals(src, AntialiasedResize.resize(src, 7, 5, 7, 5), "same size: unchanged");
	}

	@Test
	void stretchedGeometryScalesEachAxisAndHasNoPadding() {
		ResizeGeometry g = ResizeGeometry.stretch(300, 700, 1024);
		assertTrue(g.stretched());
		assertEquals(1024, g.newWidth());
		assertEquals(1024, g.newHeight());
		// The official transform_coords: x / W * 1024, y / H * 1024 in float32.
		assertEquals(327.68f, g.toModelX(96), 1e-4);
		assertEquals(355.474f, g.toModelY(243), 1e-3);
		// Low-res logits go straight to the image size: a constant map stays constant.
		float[] low = new float[16 * 16];
		Arrays.fill(low, 2f);
		float[] full = MaskPostprocessor.upsampleLogits(low, 16, g);
		assertEquals(300 * 700, full.length);
		assertEquals(300 * 700, MaskPostprocessor.toMask(low, 16, g).area());
	}

	@Test
	void sam2PromptsPutTheBoxFirstAndLeaveThePaddingToTheGraph() {
		ResizeGeometry g = ResizeGeometry.stretch(100, 50, 1024);
		Prompt p = Prompt.builder().point(10, 20, true).box(1, 2, 30, 40).build();
		DecoderPrompt d = DecoderPrompt.encode(p, g, 4, PromptEncoding.SAM2);
		assertArrayEquals(new float[] { 2, 3, 1 }, d.labels());
		assertEquals(g.toModelX(1), d.coords()[0]);
		assertEquals(g.toModelY(20), d.coords()[5]);
		DecoderPrompt click = DecoderPrompt.encode(Prompt.point(10, 20), g, 4, PromptEncoding.SAM2);
		assertArrayEquals(new float[] { 1 }, click.labels(), "no padding point from the caller");
		assertArrayEquals(new float[] { 1, -1 }, DecoderPrompt.encode(Prompt.point(10, 20), g, 4).labels(),
			"SAM 1 still pads");
		float[] logits = new float[16];
		logits[0] = 50;
		logits[1] = -40;
		logits[2] = 3;
		Prompt refine = Prompt.builder().point(10, 20, true).mask(new LowResMask(4, logits)).build();
		float[] in = DecoderPrompt.encode(refine, g, 4, PromptEncoding.SAM2).maskInput();
		assertEquals(32f, in[0]);
		assertEquals(-32f, in[1]);
		assertEquals(3f, in[2]);
		assertEquals(50f, logits[0], "the prompt's own logits are not modified");
		assertSame(logits, DecoderPrompt.encode(refine, g, 4, PromptEncoding.SAM1).maskInput(), "SAM 1: as given");
	}

	@Test
	void anUnstableSingleMaskFallsBackToTheBestScoredAmbiguityMask() {
		ResizeGeometry g = ResizeGeometry.stretch(4, 4, 4);
		float[] stable = new float[16], unstable = new float[16];
		Arrays.fill(stable, -5f);
		stable[0] = 5f;
		Arrays.fill(unstable, -5f);
		unstable[0] = 5f;
		unstable[1] = 0.01f; // above -0.05, not above 0.05: stability 1/2
		MaskTokens.StabilityFallback f = MaskTokens.StabilityFallback.SAM2;
		assertEquals(1f, f.stability(stable));
		assertEquals(0.5f, f.stability(unstable));
		assertEquals(1f, f.stability(new float[] { -1, -1 }), "nothing above -delta: stable");
		for (float[] single : new float[][] { stable, unstable }) {
			List<MaskCandidate> all = Arrays.asList(new MaskCandidate(0, 0.9f, new LowResMask(4, single), g),
				new MaskCandidate(1, 0.5f, new LowResMask(4, stable), g), new MaskCandidate(2, 0.8f, new LowResMask(4,
					stable), g), new MaskCandidate(3, 0.8f, new LowResMask(4, stable), g));
			int token = MaskTokens.keep(all, MaskSelection.SINGLE, f).get(0).token();
			assertEquals(single == stable ? 0 : 2, token, "best IoU, the first on ties");
			assertEquals(0, MaskTokens.keep(all, MaskSelection.SINGLE).get(0).token(), "SAM 1: token 0 always");
			// The same rule on raw decoder outputs, as segment everything reads them.
			DecoderOutput raw = new DecoderOutput(new float[] { 0.9f, 0.5f, 0.8f, 0.8f }, new float[][] { single, stable,
				stable, stable });
			assertEquals(token, MaskTokens.singleOutput(raw, f));
			assertEquals(0, MaskTokens.singleOutput(raw, null));
		}
	}
}
