package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;

/** SAM-1 preprocessing and intensity normalisation with known answers. */
class PreprocessingTest {

	static final ModelSpec SPEC = new ModelSpec("test", 16, new float[] { 123.675f, 116.28f, 103.53f },
		new float[] { 58.395f, 57.12f, 57.375f }, new int[] { 4, 1, 1 }, 4, 4);

	@Test
	void geometryRoundsLikeSam() {
		ResizeGeometry g = new ResizeGeometry(1388, 1040, 1024);
		assertEquals(1024, g.newWidth());
		assertEquals(767, g.newHeight()); // floor(1040 * 1024 / 1388 + 0.5) = floor(767.27)
		ResizeGeometry t = new ResizeGeometry(300, 5000, 1024);
		assertEquals(61, t.newWidth());
		assertEquals(1024, t.newHeight());
		assertEquals(1, new ResizeGeometry(1, 5000, 1024).newWidth(), "never 0 columns");
		assertEquals(512f, g.toModelX(694), 1e-3);
	}

	@Test
	void normalisesThenPadsWithZeros() {
		// 8 x 4 image, constant 255 after stretching in R only: resized to 16 x 8 in a 16 x 16 frame.
		float[] r = new float[32], zero = new float[32];
		Arrays.fill(r, 200f);
		SamImage img = SamImages.ofNormalised(8, 4, r, zero, zero);
		float[] in = new Preprocessor(SPEC).preprocess(img);
		assertEquals(3 * 16 * 16, in.length);
		float rr = (200f - 123.675f) / 58.395f, gg = (0 - 116.28f) / 57.12f;
		assertEquals(rr, in[0], 1e-5);
		assertEquals(rr, in[7 * 16 + 15], 1e-5, "last valid row");
		assertEquals(0f, in[8 * 16], 0f, "padding after normalisation is exactly zero");
		assertEquals(gg, in[256 + 3], 1e-5);
		assertEquals(0f, in[256 + 15 * 16 + 15], 0f);
	}

	@Test
	void bilinearMatchesHalfPixelConvention() {
		// Upsampling [0, 10] to 4 samples with align_corners=False gives 0, 2.5, 7.5, 10.
		float[] out = Bilinear.resize(new float[] { 0, 10 }, 2, 1, 4, 1);
		assertEquals(0f, out[0], 1e-6);
		assertEquals(2.5f, out[1], 1e-6);
		assertEquals(7.5f, out[2], 1e-6);
		assertEquals(10f, out[3], 1e-6);
	}

	@Test
	void percentileIgnoresHotPixelsAndNonFiniteValues() throws Exception {
		float[] data = new float[10000];
		for (int i = 0; i < data.length; i++)
			data[i] = 1000 + (i % 100) * 10; // 1000 .. 1990
		data[5] = 65000; // hot pixel
		data[6] = Float.NaN;
		data[7] = Float.POSITIVE_INFINITY;
		SamImage auto = SamImages.fromGrey(ArrayImgs.floats(data, 100, 100), Normalization.auto());
		SamImage minMax = SamImages.fromGrey(ArrayImgs.floats(data, 100, 100), Normalization.minMax());
		// With percentiles the bulk of the data spans most of 0..255; min-max squashes it.
		assertTrue(auto.channel(0)[99] > 200, "percentile stretch keeps contrast: " + auto.channel(0)[99]);
		assertTrue(minMax.channel(0)[99] < 10, "min-max is dominated by the hot pixel");
		for (float v : auto.channel(0))
			assertTrue(v >= 0 && v <= 255, "finite and in range: " + v);
		assertEquals(0f, auto.channel(0)[6], "NaN becomes 0");
	}

	@Test
	void fixedRangeGivesEqualContrastAcrossSlices() throws Exception {
		Normalization n = Normalization.fixed(0, 1000);
		SamImage a = SamImages.fromGrey(ArrayImgs.unsignedShorts(new short[] { 0, 500, 500, 500 }, 2, 2), n);
		SamImage b = SamImages.fromGrey(ArrayImgs.unsignedShorts(new short[] { 500, 1000, 1000, 1000 }, 2, 2), n);
		assertEquals(127.5f, a.channel(0)[1], 1e-3);
		assertEquals(127.5f, b.channel(0)[0], 1e-3, "same raw value, same input value");
	}

	@Test
	void channelsAndRgb() throws Exception {
		// Two channels, the second fed to R and G, the first to B.
		byte[] c0 = { 0, 10, 20, 30 }, c1 = { 40, 30, 20, 10 };
		SamImage two = SamImages.fromInterval(Views.stack(ArrayImgs.unsignedBytes(c0, 2, 2), ArrayImgs.unsignedBytes(c1,
			2, 2)), 2, ChannelMapping.of(1, 1, 0), Normalization.minMax());
		assertEquals(255f, two.channel(0)[0], 1e-4);
		assertEquals(255f, two.channel(1)[0], 1e-4);
		assertEquals(0f, two.channel(2)[0], 1e-4);
		SamImage rgb = SamImages.fromArgb(ArrayImgs.argbs(new int[] { ARGBType.rgba(255, 0, 10, 255), ARGBType.rgba(0,
			255, 20, 255) }, 2, 1), Normalization.minMax());
		assertEquals(255f, rgb.channel(0)[0], 1e-4);
		assertEquals(0f, rgb.channel(1)[0], 1e-4);
		assertEquals(255f, rgb.channel(2)[1], 1e-4);
	}

	@Test
	void fusedMaskUpsamplingEqualsThresholdedLogits() {
		java.util.Random r = new java.util.Random(5);
		float[] low = new float[16 * 16];
		for (int i = 0; i < low.length; i++)
			low[i] = (float) r.nextGaussian();
		for (int[] size : new int[][] { { 64, 64 }, { 64, 40 }, { 25, 64 }, { 200, 90 }, { 1, 50 } }) {
			ResizeGeometry g = new ResizeGeometry(size[0], size[1], 64);
			float[] logits = MaskPostprocessor.upsampleLogits(low, 16, g);
			assertEquals(size[0] * size[1], logits.length);
			BinaryMask expected = MaskPostprocessor.threshold(logits, size[0], size[1], 0f);
			BinaryMask fused = MaskPostprocessor.toMask(low, 16, g);
			assertTrue(java.util.Arrays.equals(expected.data(), fused.data()), "size " + size[0] + "x" + size[1]);
		}
		// Constant logits stay constant through both bilinear steps.
		float[] flat = new float[16 * 16];
		Arrays.fill(flat, 2.5f);
		for (float v : MaskPostprocessor.upsampleLogits(flat, 16, new ResizeGeometry(30, 70, 64)))
			assertEquals(2.5f, v, 1e-6);
	}
}
