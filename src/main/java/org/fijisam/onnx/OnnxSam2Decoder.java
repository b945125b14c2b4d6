package org.fijisam.onnx;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * A SAM 2 mask decoder in ONNX Runtime: the three image tensors of an {@link OnnxSam2Encoder}
 * embedding plus the prompts. With a batch axis, prompts with the same number of points go
 * through in one run (up to {@code maxBatch}; the image tensors keep batch 1 and are shared);
 * without one, one by one. Prompts of different lengths are never padded to one length: extra
 * "not a point" entries are attended tokens and change SAM's answer. Only the IoUs and the
 * low-resolution logits are asked for: the image predictor ignores the object score.
 * <p>
 * As for SAM 1 ({@link OnnxMaskDecoder}): many prompts (segment everything) run one chunk per
 * core on a single-threaded session ({@link ChunkedDecoding}), and the image tensors of the last
 * embedding are kept in direct buffers ({@link LastEmbedding}).
 * <p>
 * A decoder with transformers.js' prompt interface (HF Sam2Model) takes other prompt tensors and
 * no mask input: {@link TjsSam2Prompts} feeds it.
 */
final class OnnxSam2Decoder implements OnnxDecoder {

	private static final String[] TENSORS = { OnnxSam2Encoder.IMAGE_EMBED, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };
	/** The descriptor roles of the three image tensors, in the encoder's order. */
	static final String[] ROLES = { OnnxSam2Encoder.IMAGE_EMBED_ROLE, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final int[][] shapes;
	private final int lowRes;
	private final Set<String> requested;
	private final DecoderRuns runs;
	private final ChunkedDecoding chunked;
	private final LastEmbedding last = new LastEmbedding();
	/** The model's mask-free batch decoder, for calls where no prompt has a mask; or null. */
	private OnnxSam2Decoder withoutMasks;
	/** Where the image's inputs come from when not the three image tensors themselves; or null. */
	private OnnxImageSide imageSide;

	/**
	 * @param shapes the (C, H, W) of image_embed, high_res_feats_0 and _1 the decoder was checked for
	 * @param parallelSession a single-threaded session of the same decoder for concurrent runs,
	 *        or null to run every chunk on {@code session}, in order
	 * @param workers how many chunks run at once on {@code parallelSession}
	 */
	OnnxSam2Decoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, int[][] shapes,
		int lowRes, int maxBatch, OrtSession parallelSession, int workers)
	{
		this.env = env;
		this.names = names;
		this.shapes = shapes.clone();
		this.lowRes = lowRes;
		this.requested = new HashSet<>(Arrays.asList(names.output("iou_predictions"), names.output("low_res_masks")));
		this.runs = new DecoderRuns(env, names, lowRes);
		this.chunked = new ChunkedDecoding(session, names.batchAxis, maxBatch, parallelSession, workers);
	}

	@Override
	public boolean batched() { return names.batchAxis; }

	/** How many chunks of a large call run at once (1: all in order on one session). */
	int parallelWorkers() { return chunked.workers(); }

	/** Calls in which no prompt has a mask go to {@code decoder} (a batch_decoder_no_mask). */
	void routeMasklessTo(OnnxSam2Decoder decoder) {
		this.withoutMasks = decoder;
	}

	/** The decoder takes the outputs of {@code side} (run once per image) instead of the image tensors. */
	void takeImageFrom(OnnxImageSide side) {
		this.imageSide = side;
	}

	/** The decoder calls without masks go to, or null. */
	OnnxSam2Decoder maskless() { return withoutMasks; }

	/** Where the image's inputs come from when not the image tensors themselves; or null. */
	OnnxImageSide imageSide() { return imageSide; }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		if (withoutMasks != null && prompts.stream().noneMatch(DecoderPrompt::hasMask))
			return withoutMasks.decode(embedding, prompts);
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		EmbeddingTensor[] tensors = imageTensors(embedding, shapes);
		last.decode(env, embedding, tensors, image -> {
			Map<String, OnnxTensor> inputs = imageSide != null ? imageSide.tensors(embedding, image) : imageInputs(image);
			try {
				chunked.runAll(prompts, (session, chunk) -> {
					if (names.transformersJs()) TjsSam2Prompts.run(env, session, image, prompts, chunk, names, requested,
						lowRes, out);
					else run(session, inputs, prompts, chunk, out);
				});
			}
			finally {
				if (imageSide != null) OnnxImageSide.close(inputs);
			}
		});
		return Arrays.asList(out);
	}

	/** The three image tensors under the decoder's input names. */
	private Map<String, OnnxTensor> imageInputs(OnnxTensor[] image) {
		Map<String, OnnxTensor> inputs = new HashMap<>();
		for (int i = 0; i < 3; i++)
			inputs.put(names.input(ROLES[i]), image[i]);
		return inputs;
	}

	/** The three image tensors of a SAM 2 embedding, checked against the shapes a decoder was loaded for. */
	static EmbeddingTensor[] imageTensors(ImageEmbedding embedding, int[][] shapes) throws SamException {
		EmbeddingTensor[] out = new EmbeddingTensor[3];
		for (int i = 0; i < 3; i++) {
			try {
				out[i] = embedding.tensor(TENSORS[i]);
			}
			catch (IllegalArgumentException e) {
				throw new SamException(e.getMessage() + " A SAM 2 decoder needs the embedding of a SAM 2 encoder.", e);
			}
			if (!Arrays.equals(out[i].shape(), shapes[i])) throw new SamException("The embedding tensor " + out[i] +
				" does not fit this SAM 2 decoder, which takes " + Arrays.toString(shapes[i]) +
				": it was made by another model.");
		}
		return out;
	}

	@Override
	public void close() {
		chunked.close();
		runs.close();
		if (withoutMasks != null) withoutMasks.close();
	}

	private void run(OrtSession session, Map<String, OnnxTensor> image, List<DecoderPrompt> prompts,
		List<Integer> chunk, DecoderOutput[] out)
		throws OrtException, SamException
	{
		Map<String, OnnxTensor> inputs = new HashMap<>(image);
		try (PromptTensors prompt = PromptTensors.of(env, prompts, chunk, lowRes, names)) {
			prompt.putInto(inputs, names);
			runs.run(session, inputs, chunk, out);
		}
	}
}
