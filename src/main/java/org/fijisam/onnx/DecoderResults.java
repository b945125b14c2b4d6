package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.List;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/** Reads a decoder run's scores and low-res logits per prompt, checked against what sam.json promises. */
final class DecoderResults {

	private DecoderResults() {}

	/**
	 * Splits the outputs of one run over {@code chunk.size()} prompts into {@code out} at the
	 * chunk's indices.
	 *
	 * @param l the low-res mask side
	 */
	static void read(OrtSession.Result result, ModelDescriptor.Decoder names, int l, List<Integer> chunk,
		DecoderOutput[] out) throws SamException
	{
		read(floats(result, names.output("iou_predictions")), floats(result, names.output("low_res_masks")), names,
			l, chunk, out);
	}

	/** As above, from the two outputs' values (read from their positions on). */
	static void read(FloatBuffer iou, FloatBuffer low, ModelDescriptor.Decoder names, int l, List<Integer> chunk,
		DecoderOutput[] out) throws SamException
	{
		int b = chunk.size();
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

	private static FloatBuffer floats(OrtSession.Result result, String name) throws SamException {
		OnnxValue v = result.get(name).orElseThrow(() -> new SamException("The decoder produced no '" + name +
			"' output."));
		return ((OnnxTensor) v).getFloatBuffer();
	}
}
