package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * A SAM mask decoder in ONNX Runtime. With a batch axis, prompts with the same number of
 * points go through in one run (up to {@code maxBatch}); without one, prompts are decoded one
 * by one. The embedding tensor is created once per call and shared by all runs, since Java
 * has no IO binding and each new tensor would copy the embedding again; it is backed by a
 * direct copy of the last embedding decoded ({@link LastEmbedding}).
 * <p>
 * Calls with many prompts (segment everything, evaluation) run one chunk per core on a
 * single-threaded session ({@link ChunkedDecoding}; 5-10 % more prompts per second on 2 cores).
 */
final class OnnxMaskDecoder implements OnnxDecoder {

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final ModelSpec spec;
	private final DecoderRuns runs;
	private final ChunkedDecoding chunked;
	private final LastEmbedding last = new LastEmbedding();
	/** The model's batch decoder without the mask path, for calls where no prompt has a mask; or null. */
	private OnnxMaskDecoder withoutMasks;
	/** Where the image's inputs come from when not image_embeddings itself; or null. */
	private OnnxImageSide imageSide;

	/**
	 * @param parallelSession a single-threaded session of the same decoder for concurrent runs,
	 *        or null to run every chunk on {@code session}, in order
	 * @param workers how many chunks run at once on {@code parallelSession}
	 */
	OnnxMaskDecoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, ModelSpec spec,
		int maxBatch, OrtSession parallelSession, int workers)
	{
		this.env = env;
		this.names = names;
		this.spec = spec;
		this.chunked = new ChunkedDecoding(session, names.batchAxis, maxBatch, parallelSession, workers);
		this.runs = new DecoderRuns(env, names, spec.lowResSize());
	}

	@Override
	public boolean batched() { return names.batchAxis; }

	/** Calls in which no prompt has a mask go to {@code decoder} (a batch_decoder_no_mask). */
	void routeMasklessTo(OnnxMaskDecoder decoder) {
		this.withoutMasks = decoder;
	}

	/**
	 * The decoder takes the image as the outputs of {@code side} (run once per image) instead of
	 * image_embeddings.
	 */
	void takeImageFrom(OnnxImageSide side) {
		this.imageSide = side;
	}

	/** Whether calls without masks go to a mask-free graph. */
	boolean routesMaskless() { return withoutMasks != null; }

	/** The decoder calls without masks go to, or null. */
	OnnxMaskDecoder maskless() { return withoutMasks; }

	/** Where the image's inputs come from when not image_embeddings itself; or null. */
	OnnxImageSide imageSide() { return imageSide; }

	/** How many chunks of a large call run at once (1: all in order on one session). */
	int parallelWorkers() { return chunked.workers(); }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts)
		throws SamException
	{
		if (withoutMasks != null && prompts.stream().noneMatch(DecoderPrompt::hasMask))
			return withoutMasks.decode(embedding, prompts);
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		EmbeddingTensor tensor = sam1Tensor(embedding);
		try (OnnxTensor emb = last.tensors(env, embedding, tensor)[0];
			OnnxTensor origSize = names.origImSize ? OnnxTensor.createTensor(env, FloatBuffer.wrap(
				new float[] { embedding.geometry().height(), embedding.geometry().width() }), new long[] { 2 })
				: null)
		{
			Map<String, OnnxTensor> image = imageSide != null ? imageSide.tensors(embedding, emb)
				: Collections.singletonMap(names.input("image_embeddings"), emb);
			try {
				chunked.runAll(prompts, (s, chunk) -> run(s, image, origSize, prompts, chunk, out));
			}
			finally {
				if (imageSide != null) OnnxImageSide.close(image);
			}
		}
		catch (OrtException e) {
			throw failed(e);
		}
		return Arrays.asList(out);
	}

	/** SAM 1's one embedding tensor, checked against the shape the decoder was loaded for. */
	private EmbeddingTensor sam1Tensor(ImageEmbedding embedding) throws SamException {
		EmbeddingTensor t;
		try {
			t = embedding.tensor(OnnxImageEncoder.EMBEDDING);
		}
		catch (IllegalArgumentException e) {
			throw new SamException(e.getMessage(), e);
		}
		if (!Arrays.equals(t.shape(), spec.embeddingShape())) throw new SamException("The embedding " + t +
			" does not fit this decoder, which takes " + Arrays.toString(spec.embeddingShape()) +
			": it was made by another model.");
		return t;
	}

	@Override
	public void close() {
		chunked.close();
		runs.close();
		if (withoutMasks != null) withoutMasks.close();
	}

	private static SamException failed(OrtException e) {
		return new SamException("The mask decoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
	}

	private void run(OrtSession session, Map<String, OnnxTensor> image, OnnxTensor origSize,
		List<DecoderPrompt> prompts, List<Integer> chunk, DecoderOutput[] out) throws OrtException, SamException
	{
		int l = spec.lowResSize();
		Map<String, OnnxTensor> inputs = new HashMap<>(image);
		try (PromptTensors prompt = PromptTensors.of(env, prompts, chunk, l, names)) {
			prompt.putInto(inputs, names);
			if (origSize != null) inputs.put(names.input("orig_im_size"), origSize);
			runs.run(session, inputs, chunk, out);
		}
	}
}
