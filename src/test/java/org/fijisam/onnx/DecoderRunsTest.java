package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelDescriptor;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder runs write into output buffers kept from run to run (DecoderRuns): what a call returns
 * is the prompts' own, untouched by later runs; runs going at once never share buffers; and a
 * decoder whose outputs do not fit what sam.json promises is still named as such.
 */
class DecoderRunsTest {

	@Test
	void keptBuffersNeverCarryOneRunIntoAnother(@TempDir Path tmp) throws Exception {
		Path model = ConvertedSam1FidelityTest.convert("sam1-tiny.pt", tmp);
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.folder(model), ExecutionOptions.cpu())) {
			ImageEmbedding e = new SamPredictor(m).embed(image());
			// 40 prompts: segment everything's path, in runs of up to 8 on concurrent workers.
			List<DecoderPrompt> a = prompts(m, e, 1), b = prompts(m, e, 2);
			List<DecoderOutput> first = m.decoder().decode(e, a);
			float[][] before = logits(first);
			m.decoder().decode(e, b); // runs of the same sizes: the same buffers, other contents
			assertArrayEquals(before, logits(first), "a call's outputs are its own arrays, not the buffers");
			List<DecoderOutput> again = m.decoder().decode(e, a);
			assertArrayEquals(before, logits(again), "the same prompts, the same answers");
			for (int i = 0; i < a.size(); i++) {
				DecoderOutput alone = m.decoder().decode(e, Collections.singletonList(a.get(i))).get(0);
				for (int k = 0; k < alone.count(); k++) {
					assertEquals(alone.iou(k), first.get(i).iou(k), 1e-5, "prompt " + i + " mask " + k);
					assertTrue(maxDiff(alone.lowRes(k), first.get(i).lowRes(k)) < 1e-4, "prompt " + i + " mask " + k +
						": a batch element is its run alone (no buffer shared by concurrent runs)");
				}
			}
		}
	}

	/**
	 * Outputs of another shape than sam.json promises do not fit the kept buffers. The load
	 * checks catch this wherever a graph fixes its output shapes; the official export's decoder
	 * (sam1-tiny fixture) leaves its low-res output open, so here the run itself must still end
	 * in a message that says what the graph gave (not ONNX Runtime's about a buffer).
	 */
	@Test
	void outputsOtherThanPromisedAreNamed() throws Exception {
		Path fixture = Path.of(DecoderRunsTest.class.getResource("/fixtures/sam1-tiny/sam.json").toURI()).getParent();
		ModelDescriptor d = ModelDescriptor.parse(Files.readString(fixture.resolve("sam.json")), "sam1-tiny");
		OrtEnvironment env = OrtEnvironment.getEnvironment();
		int[] c = d.embeddingShape;
		Map<String, OnnxTensor> in = new HashMap<>();
		try (OrtSession s = env.createSession(fixture.resolve("decoder.onnx").toString(), new OrtSession.SessionOptions());
			DecoderRuns promisingHalfTheSide = new DecoderRuns(env, d.decoder, 128))
		{
			in.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[c[0] * c[1] * c[2]]),
				new long[] { 1, c[0], c[1], c[2] }));
			in.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] { 300, 200, 0, 0 }),
				new long[] { 1, 2, 2 }));
			in.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] { 1, -1 }), new long[] {
				1, 2 }));
			in.put("mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[256 * 256]), new long[] { 1, 1,
				256, 256 }));
			in.put("has_mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[1]), new long[] { 1 }));
			in.put("orig_im_size", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] { 400, 600 }),
				new long[] { 2 }));
			DecoderOutput[] out = new DecoderOutput[1];
			SamException x = assertThrows(SamException.class, () -> promisingHalfTheSide.run(s, in, List.of(0), out));
			assertTrue(x.getMessage().contains("promises mask_outputs 4 of 128x128"), x.getMessage());
			assertTrue(x.getMessage().contains("4 masks per prompt of 65536 values"), x.getMessage());
		}
		finally {
			for (OnnxTensor t : in.values())
				t.close();
		}
	}

	private static List<DecoderPrompt> prompts(OnnxSamModel m, ImageEmbedding e, long seed) {
		Random r = new Random(seed);
		List<DecoderPrompt> out = new ArrayList<>();
		for (int i = 0; i < 40; i++)
			out.add(DecoderPrompt.encode(Prompt.point(5 + 290 * r.nextDouble(), 5 + 190 * r.nextDouble()), e.geometry(),
				m.spec().lowResSize(), m.spec().promptEncoding()));
		return out;
	}

	private static float[][] logits(List<DecoderOutput> outputs) {
		List<float[]> all = new ArrayList<>();
		for (DecoderOutput o : outputs)
			for (int k = 0; k < o.count(); k++)
				all.add(o.lowRes(k).clone());
		return all.toArray(new float[0][]);
	}

	private static double maxDiff(float[] x, float[] y) {
		double max = 0;
		for (int i = 0; i < x.length; i++)
			max = Math.max(max, Math.abs(x[i] - y[i]));
		return max;
	}

	private static org.fijisam.core.SamImage image() throws Exception {
		Random r = new Random(7);
		short[] px = new short[300 * 200];
		for (int i = 0; i < px.length; i++)
			px[i] = (short) (r.nextInt(200) + (i % 300 > 150 ? 3000 : 0) + (i / 300 > 100 ? 1500 : 0));
		return SamImages.fromGrey(ArrayImgs.unsignedShorts(px, 300, 200), Normalization.auto());
	}
}
