package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ModelException;
import org.fijisam.core.PointLabel;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * The prompt decoder of a transformers.js SAM 2 export (onnx-community/sam2*-ONNX): HF
 * transformers' Sam2Model prompt encoder and mask decoder, as transformers.js' Sam2Model runs
 * it. Inputs: clicks {@code input_points [1, B, N, 2]} in the input_size frame with int64
 * {@code input_labels [1, B, N]} (1 foreground, 0 background, -1 "not a point"), a box
 * {@code input_boxes [1, B, 4]} (x0, y0, x1, y1) or none ({@code [1, 0, 4]}), and the three
 * image tensors of the encoder; outputs {@code iou_scores [1, B, 3]}, {@code pred_masks
 * [1, B, 3, L, L]} (tokens 1..3: multimask) and {@code object_score_logits}, which, as the
 * official image predictor does, is not used.
 * <p>
 * The prompts come in SAM 2's encoding (box corners, labels 2 and 3, first; no padding point).
 * The graph always has a box input, so HF's prompt encoder never appends SAM's padding point to
 * the clicks; a box brings its own (HF's {@code _embed_boxes}). To give the official
 * predictor's tokens, a prompt without a box gets the padding point ((0, 0), label -1) here;
 * the token order differs from the official one (box after the clicks), which attention does
 * not see. Prompts of one point count and one kind (box or not) run together along B. There is
 * no mask input: mask prompts are refused before they get here.
 */
final class OnnxTjsSam2Decoder implements OnnxDecoder {

	static final String POINTS = "point_coords", LABELS = "point_labels", BOXES = "boxes";
	private static final String[] ROLES = { OnnxSam2Encoder.IMAGE_EMBED_ROLE, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };
	private static final String[] TENSORS = { OnnxSam2Encoder.IMAGE_EMBED, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final int[][] shapes;
	private final int lowRes;
	private final Set<String> requested;
	private final ChunkedDecoding chunked;
	private final LastEmbedding last = new LastEmbedding();

	OnnxTjsSam2Decoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, int[][] shapes,
		int lowRes, int maxBatch, OrtSession parallelSession, int workers)
	{
		this.env = env;
		this.names = names;
		this.shapes = shapes.clone();
		this.lowRes = lowRes;
		this.requested = new HashSet<>(Arrays.asList(names.output("iou_predictions"), names.output("low_res_masks")));
		this.chunked = new ChunkedDecoding(session, names.batchAxis, maxBatch, parallelSession, workers);
	}

	/** Checks the graph's tensors against the descriptor ((C, H, W) of the three image tensors, low-res side l). */
	static void check(OrtSession s, ModelDescriptor.Decoder dec, int[][] shapes, int l, String what)
		throws ModelException
	{
		try {
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			for (int i = 0; i < 3; i++)
				in.require(ROLES[i], dec.input(ROLES[i]), 1, shapes[i][0], shapes[i][1], shapes[i][2]);
			long b = dec.batchAxis ? -1 : 1;
			in.require(POINTS, dec.input(POINTS), 1, b, -1, 2);
			in.require(OnnxJavaType.INT64, LABELS, dec.input(LABELS), 1, b, -1);
			in.require(BOXES, dec.input(BOXES), 1, -1, 4);
			TensorCheck out = new TensorCheck(what, "output", s.getOutputInfo());
			out.require("iou_predictions", dec.output("iou_predictions"), 1, b, dec.maskOutputs);
			out.require("low_res_masks", dec.output("low_res_masks"), 1, b, dec.maskOutputs, l, l);
		}
		catch (OrtException x) {
			throw new ModelException("Cannot inspect the " + what + ": " + x.getMessage(), x);
		}
	}

	@Override
	public boolean batched() { return names.batchAxis; }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		EmbeddingTensor[] tensors = new EmbeddingTensor[3];
		for (int i = 0; i < 3; i++)
			tensors[i] = tensor(embedding, i);
		last.decode(env, embedding, tensors, image -> chunked.runAll(prompts, (session, chunk) -> {
			// One point count per chunk, but a box and two clicks count alike: one run per kind.
			List<Integer> boxed = new ArrayList<>(), clicks = new ArrayList<>();
			for (int i : chunk)
				(hasBox(prompts.get(i)) ? boxed : clicks).add(i);
			for (List<Integer> kind : Arrays.asList(boxed, clicks))
				if (!kind.isEmpty()) run(session, image, prompts, kind, out);
		}));
		return Arrays.asList(out);
	}

	private EmbeddingTensor tensor(ImageEmbedding embedding, int i) throws SamException {
		EmbeddingTensor t;
		try {
			t = embedding.tensor(TENSORS[i]);
		}
		catch (IllegalArgumentException e) {
			throw new SamException(e.getMessage() + " A SAM 2 decoder needs the embedding of a SAM 2 encoder.", e);
		}
		if (!Arrays.equals(t.shape(), shapes[i])) throw new SamException("The embedding tensor " + t +
			" does not fit this SAM 2 decoder, which takes " + Arrays.toString(shapes[i]) +
			": it was made by another model.");
		return t;
	}

	/** SAM 2's encoding puts the box corners (labels 2, 3) first. */
	private static boolean hasBox(DecoderPrompt p) {
		float[] l = p.labels();
		return l.length >= 2 && l[0] == PointLabel.BOX_TOP_LEFT.code() && l[1] == PointLabel.BOX_BOTTOM_RIGHT.code();
	}

	private void run(OrtSession session, OnnxTensor[] image, List<DecoderPrompt> prompts, List<Integer> chunk,
		DecoderOutput[] out) throws OrtException, SamException
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
				labels[i * n + j - from] = label(p.labels()[j]);
			if (!box) labels[i * n + n - 1] = -1; // the padding point (0, 0): coords already 0
		}
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (OnnxTensor points = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] { 1, b, n, 2 });
			OnnxTensor labelTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] { 1, b, n });
			OnnxTensor boxTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(boxes), new long[] { 1, box ? b : 0,
				4 }))
		{
			for (int i = 0; i < 3; i++)
				inputs.put(names.input(ROLES[i]), image[i]);
			inputs.put(names.input(POINTS), points);
			inputs.put(names.input(LABELS), labelTensor);
			inputs.put(names.input(BOXES), boxTensor);
			try (OrtSession.Result result = session.run(inputs, requested)) {
				DecoderResults.read(result, names, lowRes, chunk, out);
			}
		}
	}

	/** Clicks only after the box corners: foreground and background. */
	private static long label(float code) throws SamException {
		if (code == PointLabel.FOREGROUND.code() || code == PointLabel.BACKGROUND.code()) return (long) code;
		throw new SamException("This transformers.js SAM 2 decoder takes a box as its first two points and " +
			"foreground and background clicks, not label " + code + " here.");
	}

	@Override
	public void close() {
		chunked.close();
	}
}
