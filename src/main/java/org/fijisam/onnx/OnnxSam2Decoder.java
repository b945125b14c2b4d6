package org.fijisam.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * A SAM 2 mask decoder in ONNX Runtime: the three image tensors of an {@link OnnxSam2Encoder}
 * embedding plus the prompts. With a batch axis, prompts with the same number of points go
 * through in one run (up to {@code maxBatch}; the image tensors keep batch 1 and are shared);
 * without one, one by one. Prompts of different lengths are never padded to one length: extra
 * "not a point" entries are attended tokens and change SAM's answer. Only the IoUs and the
 * low-resolution logits are asked for: the image predictor ignores the object score.
 */
final class OnnxSam2Decoder implements MaskDecoder {

	private static final String[] TENSORS = { OnnxSam2Encoder.IMAGE_EMBED, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };
	private static final String[] ROLES = { OnnxSam2Encoder.IMAGE_EMBED_ROLE, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };

	private final OrtEnvironment env;
	private final OrtSession session;
	private final ModelDescriptor.Decoder names;
	private final int[][] shapes;
	private final int lowRes;
	private final int maxBatch;
	private final Set<String> requested;

	/** @param shapes the (C, H, W) of image_embed, high_res_feats_0 and _1 the decoder was checked for */
	OnnxSam2Decoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, int[][] shapes,
		int lowRes, int maxBatch)
	{
		this.env = env;
		this.session = session;
		this.names = names;
		this.shapes = shapes.clone();
		this.lowRes = lowRes;
		this.maxBatch = names.batchAxis ? maxBatch : 1;
		this.requested = new HashSet<>(Arrays.asList(names.output("iou_predictions"), names.output("low_res_masks")));
	}

	boolean batched() { return names.batchAxis; }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		OnnxTensor[] image = new OnnxTensor[3];
		try {
			for (int i = 0; i < 3; i++) {
				EmbeddingTensor t = tensor(embedding, i);
				FloatBuffer b = ByteBuffer.allocateDirect(4 * t.data().length).order(ByteOrder.nativeOrder())
					.asFloatBuffer();
				b.put(t.data()).rewind();
				int[] s = t.shape();
				image[i] = OnnxTensor.createTensor(env, b, new long[] { 1, s[0], s[1], s[2] });
			}
			for (List<Integer> chunk : chunks(prompts))
				run(image, prompts, chunk, out);
		}
		catch (OrtException e) {
			throw new SamException("The mask decoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
		finally {
			for (OnnxTensor t : image)
				if (t != null) t.close();
		}
		return Arrays.asList(out);
	}

	/** Embedding tensor i, checked against the shape this decoder was loaded for. */
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

	/** Prompt indices in chunks of one point count each, at most maxBatch long. */
	private List<List<Integer>> chunks(List<DecoderPrompt> prompts) {
		Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < prompts.size(); i++)
			groups.computeIfAbsent(prompts.get(i).pointCount(), k -> new ArrayList<>()).add(i);
		List<List<Integer>> chunks = new ArrayList<>();
		for (List<Integer> group : groups.values())
			for (int from = 0; from < group.size(); from += maxBatch)
				chunks.add(group.subList(from, Math.min(group.size(), from + maxBatch)));
		return chunks;
	}

	private void run(OnnxTensor[] image, List<DecoderPrompt> prompts, List<Integer> chunk, DecoderOutput[] out)
		throws OrtException, SamException
	{
		int l = lowRes;
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (PromptTensors prompt = PromptTensors.of(env, prompts, chunk, l)) {
			for (int i = 0; i < 3; i++)
				inputs.put(names.input(ROLES[i]), image[i]);
			prompt.putInto(inputs, names);
			try (OrtSession.Result result = session.run(inputs, requested)) {
				DecoderResults.read(result, names, l, chunk, out);
			}
		}
	}
}
