package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import org.fijisam.core.DecoderPrompt;
import org.fijisam.model.ModelDescriptor;

/**
 * The prompt inputs every SAM-family decoder shares (point_coords, point_labels and, where the
 * decoder takes them, mask_input, has_mask_input) for a chunk of prompts with the same number of points, packed along the
 * batch axis. Close it to free the native tensors.
 */
final class PromptTensors implements AutoCloseable {

	private final OnnxTensor coords, labels, masks, hasMask;

	private PromptTensors(OnnxTensor coords, OnnxTensor labels, OnnxTensor masks, OnnxTensor hasMask) {
		this.coords = coords;
		this.labels = labels;
		this.masks = masks;
		this.hasMask = hasMask;
	}

	/**
	 * The prompts at {@code chunk}'s indices for {@code names}' decoder; {@code l} is the low-res
	 * mask side. A decoder without mask inputs gets no mask tensors (segment everything would
	 * otherwise copy 256 KB of zeros per prompt).
	 */
	static PromptTensors of(OrtEnvironment env, List<DecoderPrompt> prompts, List<Integer> chunk, int l,
		ModelDescriptor.Decoder names) throws OrtException
	{
		int b = chunk.size();
		int n = prompts.get(chunk.get(0)).pointCount();
		boolean masks = names.takesMasks();
		float[] c = new float[b * n * 2], lab = new float[b * n], m = masks ? new float[b * l * l] : null,
			has = new float[b];
		for (int i = 0; i < b; i++) {
			DecoderPrompt p = prompts.get(chunk.get(i));
			System.arraycopy(p.coords(), 0, c, i * n * 2, n * 2);
			System.arraycopy(p.labels(), 0, lab, i * n, n);
			if (masks) System.arraycopy(p.maskInput(), 0, m, i * l * l, l * l);
			has[i] = p.hasMask() ? 1f : 0f;
		}
		OnnxTensor tc = null, tl = null, tm = null;
		try {
			tc = OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] { b, n, 2 });
			tl = OnnxTensor.createTensor(env, FloatBuffer.wrap(lab), new long[] { b, n });
			if (!masks) return new PromptTensors(tc, tl, null, null);
			tm = OnnxTensor.createTensor(env, FloatBuffer.wrap(m), new long[] { b, 1, l, l });
			return new PromptTensors(tc, tl, tm, OnnxTensor.createTensor(env, FloatBuffer.wrap(has), new long[] { b }));
		}
		catch (OrtException | RuntimeException e) {
			for (OnnxTensor t : new OnnxTensor[] { tc, tl, tm })
				if (t != null) t.close();
			throw e;
		}
	}

	/** Adds the four tensors under the decoder's names for them. */
	void putInto(Map<String, OnnxTensor> inputs, ModelDescriptor.Decoder names) {
		inputs.put(names.input("point_coords"), coords);
		inputs.put(names.input("point_labels"), labels);
		if (!names.takesMasks()) return;
		inputs.put(names.input("mask_input"), masks);
		inputs.put(names.input("has_mask_input"), hasMask);
	}

	@Override
	public void close() {
		coords.close();
		labels.close();
		if (masks != null) masks.close();
		if (hasMask != null) hasMask.close();
	}
}
