package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.fijisam.Fixtures;
import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ResizeGeometry;
import org.fijisam.core.SamModel;
import org.fijisam.fake.FakeSamModel;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java fake model answers as the "known" fixture does in ONNX Runtime: the tests that
 * moved onto the fake still test what they tested.
 */
class FakeModelParityTest {

	static DecoderPrompt prompt(float[] coords, float[] labels, float[] mask) {
		return DecoderPrompt.of(coords, labels, mask != null ? mask : new float[64 * 64], mask != null);
	}

	@Test
	void encoderAndDecoderMatchTheFixture() throws Exception {
		try (SamModel onnx = Fixtures.known(); FakeSamModel fake = FakeSamModel.known()) {
			assertEquals(onnx.spec().toString(), fake.spec().toString());
			FloatBuffer in = ByteBuffer.allocateDirect(4 * 3 * 256 * 256).order(ByteOrder.nativeOrder()).asFloatBuffer();
			Random rnd = new Random(3);
			while (in.hasRemaining())
				in.put(rnd.nextFloat() * 4 - 2);
			in.rewind();
			float[] a = onnx.encoder().encode(in).get(0).data();
			in.rewind();
			float[] b = fake.encoder().encode(in).get(0).data();
			assertEquals(a.length, b.length);
			for (int i = 0; i < a.length; i++)
				assertEquals(a[i], b[i], 1e-4, "embedding[" + i + "]");

			float[] mask = new float[64 * 64];
			for (int i = 0; i < mask.length; i++)
				mask[i] = rnd.nextFloat() * 20 - 10;
			List<DecoderPrompt> prompts = new ArrayList<>();
			prompts.add(prompt(new float[] { 130, 82, 0, 0 }, new float[] { 1, -1 }, null));
			prompts.add(prompt(new float[] { 130, 82 }, new float[] { 1 }, null));
			prompts.add(prompt(new float[] { 40, 40, 120, 200 }, new float[] { 2, 3 }, null));
			prompts.add(prompt(new float[] { 50, 50, 40, 40, 120, 200 }, new float[] { 1, 2, 3 }, null));
			prompts.add(prompt(new float[] { 130, 82, 130, 98, 0, 0 }, new float[] { 1, 0, -1 }, null));
			prompts.add(prompt(new float[] { 130, 98, 0, 0 }, new float[] { 0, -1 }, null));
			prompts.add(prompt(new float[] { 13.7f, 201.2f, 0, 0 }, new float[] { 1, -1 }, mask));
			prompts.add(prompt(new float[] { 40, 40, 120, 200, 0, 0 }, new float[] { 2, 3, -1 }, mask));
			ImageEmbedding onnxEmb = new ImageEmbedding(onnx.encoder().encode(in.rewind()), new ResizeGeometry(256, 256,
				256), "o");
			ImageEmbedding fakeEmb = new ImageEmbedding(fake.encoder().encode(in.rewind()), new ResizeGeometry(256, 256,
				256), "f");
			List<DecoderOutput> x = onnx.decoder().decode(onnxEmb, prompts);
			List<DecoderOutput> y = fake.decoder().decode(fakeEmb, prompts);
			for (int p = 0; p < prompts.size(); p++) {
				assertEquals(x.get(p).count(), y.get(p).count());
				for (int k = 0; k < x.get(p).count(); k++) {
					assertEquals(x.get(p).iou(k), y.get(p).iou(k), 1e-6, "prompt " + p + " iou " + k);
					float[] u = x.get(p).lowRes(k), v = y.get(p).lowRes(k);
					for (int i = 0; i < u.length; i++)
						assertEquals(u[i], v[i], 1e-5, "prompt " + p + " token " + k + " pixel " + i);
				}
			}
		}
	}
}
