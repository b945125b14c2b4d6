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
		float[] blocks = names.lowResInBlocks() ? new float[l * l] : null;
		for (int i = 0; i < b; i++) {
			float[] scores = new float[k];
			iou.get(scores);
			float[][] logits = new float[k][l * l];
			for (int j = 0; j < k; j++) {
				if (blocks == null) low.get(logits[j]);
				else {
					low.get(blocks);
					placeBlocks(blocks, logits[j], l);
				}
			}
			out[chunk.get(i)] = new DecoderOutput(scores, logits);
		}
	}

	/**
	 * A low-res mask in the x4 upscaling's block order (descriptor low_res_order "blocks") into
	 * row-major order: per embedding pixel (y, x), 16 values for sub-pixels (ky1, kx1, ky2, kx2)
	 * at row 4y + 2 ky1 + ky2, column 4x + 2 kx1 + kx2. The converted graphs leave this to the
	 * copy out of ONNX Runtime, which needs one pass anyway, instead of an 8-axis transpose.
	 *
	 * @param side the mask's side, 4 x the embedding's
	 */
	static void placeBlocks(float[] blocks, float[] image, int side) {
		int grid = side / 4, i = 0;
		for (int y = 0; y < grid; y++)
			for (int x = 0; x < grid; x++)
				for (int ky1 = 0; ky1 < 2; ky1++)
					for (int kx1 = 0; kx1 < 2; kx1++)
						for (int ky2 = 0; ky2 < 2; ky2++) {
							int at = (4 * y + 2 * ky1 + ky2) * side + 4 * x + 2 * kx1;
							image[at] = blocks[i++]; // kx2 = 0
							image[at + 1] = blocks[i++]; // kx2 = 1
						}
	}

	private static FloatBuffer floats(OrtSession.Result result, String name) throws SamException {
		OnnxValue v = result.get(name).orElseThrow(() -> new SamException("The decoder produced no '" + name +
			"' output."));
		return ((OnnxTensor) v).getFloatBuffer();
	}
}
