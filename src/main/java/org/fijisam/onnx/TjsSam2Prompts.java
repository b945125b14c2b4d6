package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ModelException;
import org.fijisam.core.PointLabel;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * How {@link OnnxSam2Decoder} feeds the prompt decoder of a transformers.js SAM 2 export
 * (onnx-community/sam2*-ONNX): HF transformers' Sam2Model prompt encoder and mask decoder, as
 * transformers.js' Sam2Model runs it. Inputs: clicks {@code input_points [1, B, N, 2]} in the
 * input_size frame with int64 {@code input_labels [1, B, N]} (1 foreground, 0 background, -1
 * "not a point"), a box {@code input_boxes [1, B, 4]} (x0, y0, x1, y1) or none ({@code [1, 0, 4]}),
 * and the three image tensors; outputs {@code iou_scores [1, B, 3]}, {@code pred_masks
 * [1, B, 3, L, L]} (tokens 1..3: multimask) and {@code object_score_logits}, which, as the
 * official image predictor does, is not used.
 * <p>
 * The prompts come in SAM 2's encoding (box corners, labels 2 and 3, first; no padding point).
 * The graph always has a box input, so HF's prompt encoder never appends SAM's padding point to
 * the clicks; a box brings its own (HF's {@code _embed_boxes}). To give the official
 * predictor's tokens, a prompt without a box gets the padding point ((0, 0), label -1) here;
 * the token order differs from the official one (box after the clicks), which attention does
 * not see. Prompts of one point count run together along B, one run per kind (box or not).
 * There is no mask input: mask prompts are refused before they get here.
 */
final class TjsSam2Prompts {

	private static final String BOXES = "boxes";

	private TjsSam2Prompts() {}

	/** Checks the graph's tensors against the descriptor ((C, H, W) of the three image tensors, low-res side l). */
	static void check(OrtSession s, ModelDescriptor.Decoder dec, int[][] shapes, int l, String what)
		throws ModelException
	{
		try {
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			for (int i = 0; i < 3; i++)
				in.require(OnnxSam2Decoder.ROLES[i], dec.input(OnnxSam2Decoder.ROLES[i]), 1, shapes[i][0], shapes[i][1],
					shapes[i][2]);
			long b = dec.batchAxis ? -1 : 1;
			in.require(OnnxTjsDecoder.POINTS, dec.input(OnnxTjsDecoder.POINTS), 1, b, -1, 2);
			in.require(OnnxJavaType.INT64, OnnxTjsDecoder.LABELS, dec.input(OnnxTjsDecoder.LABELS), 1, b, -1);
			in.require(BOXES, dec.input(BOXES), 1, -1, 4);
			TensorCheck out = new TensorCheck(what, "output", s.getOutputInfo());
			out.require("iou_predictions", dec.output("iou_predictions"), 1, b, dec.maskOutputs);
			out.require("low_res_masks", dec.output("low_res_masks"), 1, b, dec.maskOutputs, l, l);
		}
		catch (OrtException x) {
			throw new ModelException("Cannot inspect the " + what + ": " + x.getMessage(), x);
		}
	}

	/** Runs a chunk of one point count: one decoder run for its prompts with a box, one for the others. */
	static void run(OrtEnvironment env, OrtSession session, OnnxTensor[] image, List<DecoderPrompt> prompts,
		List<Integer> chunk, ModelDescriptor.Decoder names, Set<String> requested, int lowRes, DecoderOutput[] out)
		throws OrtException, SamException
	{
		// A box and a click count as many points as three clicks.
		List<Integer> boxed = new ArrayList<>(), clicks = new ArrayList<>();
		for (int i : chunk)
			(hasBox(prompts.get(i)) ? boxed : clicks).add(i);
		for (List<Integer> kind : Arrays.asList(boxed, clicks))
			if (!kind.isEmpty()) runKind(env, session, image, prompts, kind, names, requested, lowRes, out);
	}

	/** SAM 2's encoding puts the box corners (labels 2, 3) first. */
	private static boolean hasBox(DecoderPrompt p) {
		float[] l = p.labels();
		return l.length >= 2 && l[0] == PointLabel.BOX_TOP_LEFT.code() && l[1] == PointLabel.BOX_BOTTOM_RIGHT.code();
	}

	private static void runKind(OrtEnvironment env, OrtSession session, OnnxTensor[] image,
		List<DecoderPrompt> prompts, List<Integer> chunk, ModelDescriptor.Decoder names, Set<String> requested,
		int lowRes, DecoderOutput[] out) throws OrtException, SamException
	{
		int b = chunk.size();
		boolean box = hasBox(prompts.get(chunk.get(0)));
		// Clicks after the box corners; without a box, the padding point the graph does not append.
		int n = prompts.get(chunk.get(0)).pointCount() + (box ? -2 : 1);
		float[] coords = new float[b * n * 2];
		long[] labels = new long[b * n];
		float[] boxes = new float[box ? b * 4 : 0];
		for (int i = 0; i < b; i++) {
			DecoderPrompt p = prompts.get(chunk.get(i));
			// The caller refuses masks (PromptEncoding.withoutMaskInput); this guards direct decoder use.
			if (p.hasMask()) throw new SamException("This transformers.js SAM 2 decoder has no mask input.");
			int from = box ? 2 : 0;
			if (box) System.arraycopy(p.coords(), 0, boxes, i * 4, 4);
			System.arraycopy(p.coords(), 2 * from, coords, i * n * 2, 2 * (p.pointCount() - from));
			for (int j = from; j < p.pointCount(); j++)
				labels[i * n + j - from] = OnnxTjsDecoder.clickLabel(p.labels()[j], "This transformers.js SAM 2 " +
					"decoder takes a box as its first two points, then foreground and background clicks");
			if (!box) labels[i * n + n - 1] = -1; // the padding point (0, 0): coords already 0
		}
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (OnnxTensor boxTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] { 1, box ? b : 0,
			4 }))
		{
			for (int i = 0; i < 3; i++)
				inputs.put(names.input(OnnxSam2Decoder.ROLES[i]), image[i]);
			inputs.put(names.input(BOXES), boxTensor);
			OnnxTjsDecoder.runClicks(env, session, inputs, names, coords, labels, b, requested, lowRes, chunk, out);
		}
	}
}
