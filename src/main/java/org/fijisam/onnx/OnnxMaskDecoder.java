package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * A SAM mask decoder in ONNX Runtime. With a batch axis, prompts with the same number of
 * points go through in one run (up to {@code maxBatch}); without one, prompts are decoded one
 * by one. The embedding tensor is created once per call and shared by all runs, since Java
 * has no IO binding and each new tensor would copy the embedding again.
 */
final class OnnxMaskDecoder implements MaskDecoder {

	private final OrtEnvironment env;
	private final OrtSession session;
	private final ModelDescriptor.Decoder names;
	private final ModelSpec spec;
	private final int maxBatch;
	private final java.util.Set<String> requested;

	OnnxMaskDecoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, ModelSpec spec,
		int maxBatch)
	{
		this.env = env;
		this.session = session;
		this.names = names;
		this.spec = spec;
		this.maxBatch = names.batchAxis ? maxBatch : 1;
		this.requested = new java.util.HashSet<>(Arrays.asList(names.output("iou_predictions"),
			names.output("low_res_masks")));
	}

	boolean batched() { return names.batchAxis; }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts)
		throws SamException
	{
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		int[] shape = embedding.shape();
		try (OnnxTensor emb = OnnxTensor.createTensor(env, FloatBuffer.wrap(embedding.data()),
			new long[] { 1, shape[0], shape[1], shape[2] });
			OnnxTensor origSize = names.origImSize ? OnnxTensor.createTensor(env, FloatBuffer.wrap(
				new float[] { embedding.geometry().height(), embedding.geometry().width() }), new long[] { 2 })
				: null)
		{
			// Group by point count: a batch needs one N, and padding prompts with extra
			// "not a point" entries would change SAM's answer.
			Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
			for (int i = 0; i < prompts.size(); i++)
				groups.computeIfAbsent(prompts.get(i).pointCount(), k -> new ArrayList<>()).add(i);
			for (List<Integer> group : groups.values()) {
				for (int from = 0; from < group.size(); from += maxBatch) {
					List<Integer> chunk = group.subList(from, Math.min(group.size(), from + maxBatch));
					run(emb, origSize, prompts, chunk, out);
				}
			}
		}
		catch (OrtException e) {
			throw new SamException("The mask decoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
		return Arrays.asList(out);
	}

	private void run(OnnxTensor emb, OnnxTensor origSize, List<DecoderPrompt> prompts, List<Integer> chunk,
		DecoderOutput[] out) throws OrtException, SamException
	{
		int b = chunk.size();
		int n = prompts.get(chunk.get(0)).pointCount();
		int l = spec.lowResSize();
		float[] coords = new float[b * n * 2];
		float[] labels = new float[b * n];
		float[] masks = new float[b * l * l];
		float[] hasMask = new float[b];
		for (int i = 0; i < b; i++) {
			DecoderPrompt p = prompts.get(chunk.get(i));
			System.arraycopy(p.coords(), 0, coords, i * n * 2, n * 2);
			System.arraycopy(p.labels(), 0, labels, i * n, n);
			System.arraycopy(p.maskInput(), 0, masks, i * l * l, l * l);
			hasMask[i] = p.hasMask() ? 1f : 0f;
		}
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (OnnxTensor tCoords = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] { b, n, 2 });
			OnnxTensor tLabels = OnnxTensor.createTensor(env, FloatBuffer.wrap(labels), new long[] { b, n });
			OnnxTensor tMask = OnnxTensor.createTensor(env, FloatBuffer.wrap(masks), new long[] { b, 1, l, l });
			OnnxTensor tHas = OnnxTensor.createTensor(env, FloatBuffer.wrap(hasMask), new long[] { b }))
		{
			inputs.put(names.input("image_embeddings"), emb);
			inputs.put(names.input("point_coords"), tCoords);
			inputs.put(names.input("point_labels"), tLabels);
			inputs.put(names.input("mask_input"), tMask);
			inputs.put(names.input("has_mask_input"), tHas);
			if (origSize != null) inputs.put(names.input("orig_im_size"), origSize);
			// Ask only for what is used: an official export also upsamples masks in the graph.
			try (OrtSession.Result result = session.run(inputs, requested)) {
				FloatBuffer iou = floats(result, names.output("iou_predictions"));
				FloatBuffer low = floats(result, names.output("low_res_masks"));
				int k = iou.remaining() / b;
				if (k != names.maskOutputs || low.remaining() != (long) b * k * l * l) throw new SamException(
					"The decoder returned " + k + " masks per prompt of " + low.remaining() / Math.max(1, b * k) +
						" values, but sam.json promises mask_outputs " + names.maskOutputs + " of " + l + "x" + l +
						". Fix mask_outputs / low_res_size in sam.json.");
				for (int i = 0; i < b; i++) {
					float[] scores = new float[k];
					iou.get(scores);
					float[][] logits = new float[k][l * l];
					for (int j = 0; j < k; j++)
						low.get(logits[j]);
					out[chunk.get(i)] = new DecoderOutput(scores, logits);
				}
			}
		}
	}

	private static FloatBuffer floats(OrtSession.Result result, String name) throws SamException {
		OnnxValue v = result.get(name).orElseThrow(() -> new SamException("The decoder produced no '" + name +
			"' output."));
		return ((OnnxTensor) v).getFloatBuffer();
	}
}
