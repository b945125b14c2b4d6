package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
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
 * The prompt decoder of a transformers.js SAM 1 export (Xenova/sam-vit-base, Xenova/slimsam-*):
 * HF transformers' SamModel prompt encoder and mask decoder as HF optimum exports them. Its
 * interface is not the official one: points {@code input_points [1, B, N, 2]} in the input_size
 * frame and int64 labels {@code input_labels [1, B, N]} (1 foreground, 0 background; the graph
 * appends SAM's padding point itself, as HF does when given no box), the image embedding and
 * the image-wide positional encoding ({@link OnnxImageEncoder#POSITIONAL}, from the encoder), and
 * it returns {@code iou_scores [1, B, 3]} and {@code pred_masks [1, B, 3, L, L]}: the three
 * ambiguity masks (tokens 1..3), never the single-mask token. There is no box and no mask input
 * (optimum exports the graph without them), so such prompts are refused before they get here
 * ({@link org.fijisam.core.PromptEncoding#pointsOnly}). Prompts with the same number of points
 * run together along B, which is the graph's point-batch axis.
 */
final class OnnxTjsDecoder implements OnnxDecoder {

	static final String POINTS = "point_coords", LABELS = "point_labels";

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final int[] embeddingShape;
	private final int lowRes;
	private final Set<String> requested;
	private final ChunkedDecoding chunked;
	private final LastEmbedding last = new LastEmbedding();

	/**
	 * @param parallelSession a single-threaded session of the same decoder for concurrent runs,
	 *        or null to run every chunk on {@code session}, in order
	 * @param workers how many chunks run at once on {@code parallelSession}
	 */
	OnnxTjsDecoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, int[] embeddingShape,
		int lowRes, int maxBatch, OrtSession parallelSession, int workers)
	{
		this.env = env;
		this.names = names;
		this.embeddingShape = embeddingShape.clone();
		this.lowRes = lowRes;
		this.requested = new HashSet<>(Arrays.asList(names.output("iou_predictions"), names.output("low_res_masks")));
		this.chunked = new ChunkedDecoding(session, names.batchAxis, maxBatch, parallelSession, workers);
	}

	/** Checks the graph's tensors against the descriptor (embedding shape e, low-res side l). */
	static void check(OrtSession s, ModelDescriptor.Decoder dec, int[] e, int l, String what) throws ModelException {
		try {
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			for (String role : new String[] { OnnxImageEncoder.EMBEDDING, OnnxImageEncoder.POSITIONAL })
				in.require(role, dec.input(role), 1, e[0], e[1], e[2]);
			long b = dec.batchAxis ? -1 : 1;
			in.require(POINTS, dec.input(POINTS), 1, b, -1, 2);
			in.require(OnnxJavaType.INT64, LABELS, dec.input(LABELS), 1, b, -1);
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
		EmbeddingTensor[] tensors = { tensor(embedding, OnnxImageEncoder.EMBEDDING), tensor(embedding,
			OnnxImageEncoder.POSITIONAL) };
		last.decode(env, embedding, tensors, image -> chunked.runAll(prompts, (session, chunk) -> run(session, image,
			prompts, chunk, out)));
		return Arrays.asList(out);
	}

	private EmbeddingTensor tensor(ImageEmbedding embedding, String name) throws SamException {
		EmbeddingTensor t;
		try {
			t = embedding.tensor(name);
		}
		catch (IllegalArgumentException e) {
			throw new SamException(e.getMessage() + " A transformers.js decoder needs the embedding of its own " +
				"encoder (image_embeddings and image_positional_embeddings).", e);
		}
		if (!Arrays.equals(t.shape(), embeddingShape)) throw new SamException("The embedding tensor " + t +
			" does not fit this decoder, which takes " + Arrays.toString(embeddingShape) + ": it was made by " +
			"another model.");
		return t;
	}

	private void run(OrtSession session, OnnxTensor[] image, List<DecoderPrompt> prompts, List<Integer> chunk,
		DecoderOutput[] out) throws OrtException, SamException
	{
		int b = chunk.size();
		int n = prompts.get(chunk.get(0)).pointCount();
		float[] coords = new float[b * n * 2];
		long[] labels = new long[b * n];
		for (int i = 0; i < b; i++) {
			DecoderPrompt p = prompts.get(chunk.get(i));
			// The caller refuses boxes and masks (PromptEncoding.pointsOnly); this guards direct decoder use.
			if (p.hasMask()) throw new SamException("This transformers.js decoder has no mask input.");
			System.arraycopy(p.coords(), 0, coords, i * n * 2, n * 2);
			for (int j = 0; j < n; j++)
				labels[i * n + j] = clickLabel(p.labels()[j], "This transformers.js decoder takes foreground and " +
					"background points only (no box corner or padding point)");
		}
		Map<String, OnnxTensor> inputs = new HashMap<>();
		inputs.put(names.input(OnnxImageEncoder.EMBEDDING), image[0]);
		inputs.put(names.input(OnnxImageEncoder.POSITIONAL), image[1]);
		runClicks(env, session, inputs, names, coords, labels, b, requested, lowRes, chunk, out);
	}

	/**
	 * Runs a transformers.js prompt decoder on {@code inputs} (the image tensors, and any other input)
	 * plus the clicks {@code input_points [1, b, n, 2]} and int64 {@code input_labels [1, b, n]},
	 * and reads the chunk's outputs.
	 */
	static void runClicks(OrtEnvironment env, OrtSession session, Map<String, OnnxTensor> inputs,
		ModelDescriptor.Decoder names, float[] coords, long[] labels, int b, Set<String> requested, int lowRes,
		List<Integer> chunk, DecoderOutput[] out) throws OrtException, SamException
	{
		int n = labels.length / b;
		try (OnnxTensor points = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] { 1, b, n, 2 });
			OnnxTensor labelTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(labels), new long[] { 1, b, n }))
		{
			inputs.put(names.input(POINTS), points);
			inputs.put(names.input(LABELS), labelTensor);
			try (OrtSession.Result result = session.run(inputs, requested)) {
				DecoderResults.read(result, names, lowRes, chunk, out);
			}
		}
	}

	/** A click's label as transformers.js' int64 labels: foreground and background only, else refused. */
	static long clickLabel(float code, String refusal) throws SamException {
		if (code == PointLabel.FOREGROUND.code() || code == PointLabel.BACKGROUND.code()) return (long) code;
		throw new SamException(refusal + ", not label " + code + ".");
	}

	@Override
	public void close() {
		chunked.close();
	}
}
