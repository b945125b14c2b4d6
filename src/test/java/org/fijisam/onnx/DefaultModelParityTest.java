package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ResizeGeometry;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;

/**
 * The built-in model in ONNX Runtime (Java) gives the same numbers as the PyTorch model it
 * was exported from: training/export.py stores PyTorch outputs for inputs defined by
 * formulas, which are regenerated here exactly (see the format at the top of export.py).
 */
class DefaultModelParityTest {

	static JsonObject parity() throws Exception {
		try (Reader r = new InputStreamReader(DefaultModelParityTest.class.getResourceAsStream(
			"/parity/default-model-parity.json"), StandardCharsets.UTF_8))
		{
			return JsonParser.parseReader(r).getAsJsonObject();
		}
	}

	static float[] floats(JsonArray a) {
		float[] v = new float[a.size()];
		for (int i = 0; i < v.length; i++)
			v[i] = a.get(i).getAsFloat();
		return v;
	}

	static void assertClose(float expected, float actual, double tol, String what) {
		assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)), what + ": PyTorch " + expected +
			", ONNX Runtime " + actual);
	}

	@Test
	void encoderMatchesPyTorch() throws Exception {
		JsonObject p = parity();
		JsonObject enc = p.getAsJsonObject("encoder");
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu())) {
			int s = m.spec().inputSize();
			FloatBuffer in = ByteBuffer.allocateDirect(4 * 3 * s * s).order(ByteOrder.nativeOrder()).asFloatBuffer();
			for (int c = 0; c < 3; c++)
				for (int y = 0; y < s; y++)
					for (int x = 0; x < s; x++)
						in.put(((x * 7 + y * 13 + c * 29) % 256 - 128) / 64.0f);
			in.rewind();
			float[] out = m.encoder().encode(in).get(0).data();
			JsonArray idx = enc.getAsJsonArray("indices");
			float[] values = floats(enc.getAsJsonArray("values"));
			assertTrue(idx.size() > 100);
			for (int i = 0; i < idx.size(); i++)
				assertClose(values[i], out[idx.get(i).getAsInt()], 1e-3, "embedding[" + idx.get(i) + "]");
		}
	}

	static ImageEmbedding embedding(int[] shape, int h, int w, int inputSize) {
		float[] e = new float[shape[0] * shape[1] * shape[2]];
		int i = 0;
		for (int c = 0; c < shape[0]; c++)
			for (int y = 0; y < shape[1]; y++)
				for (int x = 0; x < shape[2]; x++)
					e[i++] = ((x * 5 + y * 11 + c * 3) % 97 - 48) / 48.0f;
		return new ImageEmbedding(java.util.List.of(new EmbeddingTensor(OnnxImageEncoder.EMBEDDING, shape, e)),
			new ResizeGeometry(w, h, inputSize), "parity");
	}

	static float[] maskInput(int l, boolean has) {
		float[] m = new float[l * l];
		if (has)
			for (int y = 0; y < l; y++)
				for (int x = 0; x < l; x++)
					m[y * l + x] = ((x + 2 * y) % 17 - 8) / 2.0f;
		return m;
	}

	static DecoderPrompt prompt(JsonArray coords, JsonArray labels, boolean has, int l) {
		float[] c = new float[coords.size() * 2];
		for (int i = 0; i < coords.size(); i++) {
			c[2 * i] = coords.get(i).getAsJsonArray().get(0).getAsFloat();
			c[2 * i + 1] = coords.get(i).getAsJsonArray().get(1).getAsFloat();
		}
		return DecoderPrompt.of(c, floats(labels), maskInput(l, has), has);
	}

	@Test
	void batchOneDecoderMatchesPyTorch() throws Exception {
		JsonObject p = parity();
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu(), false)) {
			int l = m.spec().lowResSize();
			int cases = 0;
			for (JsonElement e : p.getAsJsonArray("decoder")) {
				JsonObject c = e.getAsJsonObject();
				JsonArray size = c.getAsJsonArray("orig_im_size");
				ImageEmbedding emb = embedding(m.spec().embeddingShape(), size.get(0).getAsInt(), size.get(1).getAsInt(),
					m.spec().inputSize());
				List<DecoderPrompt> one = new ArrayList<>();
				one.add(prompt(c.getAsJsonArray("point_coords"), c.getAsJsonArray("point_labels"), c.get("has_mask_input")
					.getAsInt() == 1, l));
				DecoderOutput out = m.decoder().decode(emb, one).get(0);
				float[] iou = floats(c.getAsJsonArray("iou_predictions"));
				for (int k = 0; k < iou.length; k++)
					assertClose(iou[k], out.iou(k), 1e-3, "iou " + k);
				JsonArray idx = c.getAsJsonArray("low_res_indices");
				float[] values = floats(c.getAsJsonArray("low_res_values"));
				for (int i = 0; i < idx.size(); i++) {
					int flat = idx.get(i).getAsInt();
					assertClose(values[i], out.lowRes(flat / (l * l))[flat % (l * l)], 2e-3, "low-res " + flat);
				}
				cases++;
			}
			assertTrue(cases >= 2);
		}
	}

	@Test
	void batchDecoderMatchesPyTorch() throws Exception {
		JsonObject c = parity().getAsJsonObject("decoder_batch");
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu())) {
			assertTrue(m.batchedDecoder());
			int l = m.spec().lowResSize();
			ImageEmbedding emb = embedding(m.spec().embeddingShape(), 1024, 1024, m.spec().inputSize());
			JsonArray coords = c.getAsJsonArray("point_coords"), labels = c.getAsJsonArray("point_labels"),
				has = c.getAsJsonArray("has_mask_input");
			List<DecoderPrompt> prompts = new ArrayList<>();
			for (int b = 0; b < coords.size(); b++)
				prompts.add(prompt(coords.get(b).getAsJsonArray(), labels.get(b).getAsJsonArray(), has.get(b)
					.getAsInt() == 1, l));
			List<DecoderOutput> out = m.decoder().decode(emb, prompts);
			assertEquals(prompts.size(), out.size());
			JsonArray iou = c.getAsJsonArray("iou_predictions");
			for (int b = 0; b < prompts.size(); b++) {
				float[] expected = floats(iou.get(b).getAsJsonArray());
				for (int k = 0; k < expected.length; k++)
					assertClose(expected[k], out.get(b).iou(k), 1e-3, "batch " + b + " iou " + k);
			}
			JsonArray idx = c.getAsJsonArray("low_res_indices");
			float[] values = floats(c.getAsJsonArray("low_res_values"));
			int per = 4 * l * l;
			for (int i = 0; i < idx.size(); i++) {
				int flat = idx.get(i).getAsInt();
				DecoderOutput o = out.get(flat / per);
				int rest = flat % per;
				assertClose(values[i], o.lowRes(rest / (l * l))[rest % (l * l)], 2e-3, "batch low-res " + flat);
			}
			assertNotNull(m.id());
		}
	}
}
