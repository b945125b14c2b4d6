package org.fijisam.onnx;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * <p>
 * As for SAM 1 ({@link OnnxMaskDecoder}): many prompts (segment everything) run one chunk per
 * core on a single-threaded session ({@link ChunkedDecoding}), and the image tensors of the last
 * embedding are kept in direct buffers, so that the batches of one image do not copy them again
 * (16 MB for a full-size SAM 2) on every call.
 */
final class OnnxSam2Decoder implements MaskDecoder, AutoCloseable {

	private static final String[] TENSORS = { OnnxSam2Encoder.IMAGE_EMBED, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };
	private static final String[] ROLES = { OnnxSam2Encoder.IMAGE_EMBED_ROLE, OnnxSam2Encoder.HIGH_RES_0,
		OnnxSam2Encoder.HIGH_RES_1 };

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final int[][] shapes;
	private final int lowRes;
	private final Set<String> requested;
	private final ChunkedDecoding chunked;
	private final Object embeddingLock = new Object();
	private WeakReference<ImageEmbedding> lastEmbedding = new WeakReference<>(null);
	private FloatBuffer[] lastBuffers;

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
		this.chunked = new ChunkedDecoding(session, names.batchAxis, maxBatch, parallelSession, workers);
	}

	boolean batched() { return names.batchAxis; }

	/** How many chunks of a large call run at once (1: all in order on one session). */
	int parallelWorkers() { return chunked.workers(); }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		OnnxTensor[] image = new OnnxTensor[3];
		try {
			EmbeddingTensor[] tensors = new EmbeddingTensor[3];
			for (int i = 0; i < 3; i++)
				tensors[i] = tensor(embedding, i);
			FloatBuffer[] buffers = direct(embedding, tensors);
			for (int i = 0; i < 3; i++) {
				int[] s = tensors[i].shape();
				image[i] = OnnxTensor.createTensor(env, buffers[i], new long[] { 1, s[0], s[1], s[2] });
			}
			chunked.runAll(prompts, (session, chunk) -> run(session, image, prompts, chunk, out));
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

	/**
	 * The three image tensors in direct, native-order buffers, which ONNX Runtime reads in place.
	 * Only the last embedding's are kept (weakly: they go when the caller drops the embedding);
	 * embeddings are never modified after creation, so identity tells whether the copy is current.
	 */
	private FloatBuffer[] direct(ImageEmbedding embedding, EmbeddingTensor[] tensors) {
		synchronized (embeddingLock) {
			if (lastEmbedding.get() != embedding) {
				FloatBuffer[] b = new FloatBuffer[tensors.length];
				for (int i = 0; i < b.length; i++) {
					float[] data = tensors[i].data();
					b[i] = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
					b[i].put(data).rewind();
				}
				lastEmbedding = new WeakReference<>(embedding);
				lastBuffers = b;
			}
			FloatBuffer[] own = new FloatBuffer[lastBuffers.length];
			for (int i = 0; i < own.length; i++)
				own[i] = lastBuffers[i].duplicate(); // own position, same read-only-by-convention data
			return own;
		}
	}

	@Override
	public void close() {
		chunked.close();
	}

	private void run(OrtSession session, OnnxTensor[] image, List<DecoderPrompt> prompts, List<Integer> chunk,
		DecoderOutput[] out)
		throws OrtException, SamException
	{
		int l = lowRes;
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (PromptTensors prompt = PromptTensors.of(env, prompts, chunk, l, names)) {
			for (int i = 0; i < 3; i++)
				inputs.put(names.input(ROLES[i]), image[i]);
			prompt.putInto(inputs, names);
			try (OrtSession.Result result = session.run(inputs, requested)) {
				DecoderResults.read(result, names, l, chunk, out);
			}
		}
	}
}
