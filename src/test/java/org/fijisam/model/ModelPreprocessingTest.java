package org.fijisam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.Normalization;
import org.fijisam.core.PilResize;
import org.fijisam.core.Preprocessing;
import org.fijisam.core.Preprocessor;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.junit.jupiter.api.Test;

/** The model-owned input pipeline: descriptor field, what "auto" means, which resize runs. */
class ModelPreprocessingTest {

	private static final String BASE = "{\"format\":1,\"family\":\"sam1\",\"input_size\":16,"
		+ "\"pixel_mean\":[123.675,116.28,103.53],\"pixel_std\":[58.395,57.12,57.375],"
		+ "\"embedding_shape\":[4,1,1],\"low_res_size\":4,\"encoder\":{\"file\":\"e.onnx\"},"
		+ "\"decoder\":{\"file\":\"d.onnx\"}";

	private static ModelSpec spec(String extra) throws ModelException {
		return ModelDescriptor.parse(BASE + extra + "}", "test").toSpec(4);
	}

	@Test
	void sam1DefaultsToTheOfficialPipeline() throws Exception {
		assertEquals(Preprocessing.SAM1, spec("").preprocessing());
		assertEquals(Preprocessing.Intensity.AS_IS, Preprocessing.SAM1.intensity());
		assertEquals(Preprocessing.Resize.PIL, Preprocessing.SAM1.resize());
		Preprocessing p = spec(",\"preprocessing\":{\"resize\":\"bilinear\"}").preprocessing();
		assertEquals(new Preprocessing(Preprocessing.Intensity.AS_IS, Preprocessing.Resize.BILINEAR), p,
			"a key left out keeps its default");
	}

	@Test
	void builtInModelKeepsWhatItWasTrainedWith() throws Exception {
		String json;
		try (InputStream in = getClass().getResourceAsStream("/models/default/sam.json")) {
			json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		// training/data.py: per-channel min-max, float bilinear resize.
		assertEquals(new Preprocessing(Preprocessing.Intensity.MIN_MAX, Preprocessing.Resize.BILINEAR),
			ModelDescriptor.parse(json, "built-in").toSpec(4).preprocessing());
	}

	@Test
	void unknownValuesAreRejectedByName() {
		ModelException e = assertThrows(ModelException.class, () -> spec(",\"preprocessing\":{\"resize\":\"nearest\"}"));
		assertTrue(e.getMessage().contains("preprocessing.resize") && e.getMessage().contains("nearest"), e.getMessage());
		e = assertThrows(ModelException.class, () -> spec(",\"preprocessing\":{\"intensity\":\"raw\"}"));
		assertTrue(e.getMessage().contains("preprocessing.intensity"), e.getMessage());
	}

	@Test
	void autoMeansWhatTheModelExpects() throws Exception {
		byte[] dim = { 10, 20, 30, 40 };
		SamImage official = SamImages.fromGrey(ArrayImgs.unsignedBytes(dim, 2, 2),
			Normalization.auto().forModel(spec("")));
		assertEquals(10f, official.channel(0)[0], "8-bit values reach SAM 1 unchanged");
		assertEquals(40f, official.channel(0)[3]);
		SamImage stretched = SamImages.fromGrey(ArrayImgs.unsignedBytes(dim, 2, 2),
			Normalization.auto().forModel(spec(",\"preprocessing\":{\"intensity\":\"minmax\"}")));
		assertEquals(0f, stretched.channel(0)[0]);
		assertEquals(255f, stretched.channel(0)[3]);
		// The user's explicit choice wins over the model's.
		Normalization minMax = Normalization.minMax();
		assertSame(minMax, minMax.forModel(spec("")));
		// 16-bit data are stretched by percentiles for every model.
		short[] wide = new short[100];
		for (int i = 0; i < wide.length; i++)
			wide[i] = (short) (1000 + 10 * i);
		SamImage sixteen = SamImages.fromGrey(ArrayImgs.unsignedShorts(wide, 10, 10),
			Normalization.auto().forModel(spec("")));
		assertEquals(255f, sixteen.channel(0)[99], 1e-3);
	}

	@Test
	void officialModelsGetThePillowResizeOfTheRoundedImage() throws Exception {
		// Stripes of period 3 shrunk 4x: Pillow's widened filter and the float bilinear resize
		// (which reads two neighbours only) give different values.
		int w = 64, h = 64;
		float[] v = new float[w * h];
		for (int i = 0; i < v.length; i++)
			v[i] = (i % w) % 3 == 0 ? 250.4f : 3f;
		SamImage img = SamImages.ofNormalised(w, h, v, v, v);
		ModelSpec official = spec("");
		float[] in = new Preprocessor(official).preprocess(img);
		byte[] u8 = new byte[w * h];
		for (int i = 0; i < u8.length; i++)
			u8[i] = (byte) Math.round(v[i]); // 250.4 is rounded to 250 before resizing
		byte[] expected = PilResize.resize(u8, w, h, 16, 16);
		for (int i = 0; i < 16 * 16; i++)
			assertEquals(((expected[i] & 0xff) - 123.675f) / 58.395f, in[i], 0f, "pixel " + i);
		float[] legacy = new Preprocessor(official.withPreprocessing(new Preprocessing(Preprocessing.Intensity.AS_IS,
			Preprocessing.Resize.BILINEAR))).preprocess(img);
		assertNotEquals(legacy[1], in[1], "the built-in model's float resize differs");
	}
}
