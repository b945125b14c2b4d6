package org.fijisam.onnx;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * A SAM mask decoder in ONNX Runtime. With a batch axis, prompts with the same number of
 * points go through in one run (up to {@code maxBatch}); without one, prompts are decoded one
 * by one. The embedding tensor is created once per call and shared by all runs, since Java
 * has no IO binding and each new tensor would copy the embedding again; it is backed by a
 * direct copy of the last embedding decoded, so that the clicks on one image (and the batches
 * of segment everything) do not copy and allocate its 4 MB again on every call.
 * <p>
 * Calls with many prompts (segment everything, evaluation) are cut into one chunk per worker at
 * least and run at once on a single-threaded session, one chunk per core: the decoder's
 * operators are small, and one run spread over all cores spends much of its time synchronising
 * threads (5-10 % more prompts per second on 2 cores). Few prompts (a click) keep the
 * multi-threaded session, which answers one prompt sooner.
 */
final class OnnxMaskDecoder implements MaskDecoder, AutoCloseable {

	/** Calls with fewer prompts run on the multi-threaded session, in order. */
	static final int PARALLEL_MIN_PROMPTS = 16;

	private final OrtEnvironment env;
	private final OrtSession session;
	private final ModelDescriptor.Decoder names;
	private final ModelSpec spec;
	private final int maxBatch;
	private final java.util.Set<String> requested;
	private final OrtSession parallelSession;
	private final int workers;
	private ExecutorService pool;
	private final Object embeddingLock = new Object();
	private WeakReference<ImageEmbedding> lastEmbedding = new WeakReference<>(null);
	private FloatBuffer lastEmbeddingBuffer;

	/**
	 * @param parallelSession a single-threaded session of the same decoder for concurrent runs,
	 *        or null to run every chunk on {@code session}, in order
	 * @param workers how many chunks run at once on {@code parallelSession}
	 */
	OnnxMaskDecoder(OrtEnvironment env, OrtSession session, ModelDescriptor.Decoder names, ModelSpec spec,
		int maxBatch, OrtSession parallelSession, int workers)
	{
		this.env = env;
		this.session = session;
		this.names = names;
		this.spec = spec;
		this.maxBatch = names.batchAxis ? maxBatch : 1;
		this.parallelSession = names.batchAxis && workers > 1 ? parallelSession : null;
		this.workers = this.parallelSession != null ? workers : 1;
		this.requested = new java.util.HashSet<>(Arrays.asList(names.output("iou_predictions"),
			names.output("low_res_masks")));
	}

	boolean batched() { return names.batchAxis; }

	/** How many chunks of a large call run at once (1: all in order on one session). */
	int parallelWorkers() { return workers; }

	@Override
	public List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts)
		throws SamException
	{
		DecoderOutput[] out = new DecoderOutput[prompts.size()];
		EmbeddingTensor tensor = sam1Tensor(embedding);
		int[] shape = tensor.shape();
		try (OnnxTensor emb = OnnxTensor.createTensor(env, direct(embedding, tensor),
			new long[] { 1, shape[0], shape[1], shape[2] });
			OnnxTensor origSize = names.origImSize ? OnnxTensor.createTensor(env, FloatBuffer.wrap(
				new float[] { embedding.geometry().height(), embedding.geometry().width() }), new long[] { 2 })
				: null)
		{
			boolean parallel = workers > 1 && prompts.size() >= PARALLEL_MIN_PROMPTS;
			List<List<Integer>> chunks = chunks(prompts, parallel ? workers : 1);
			if (parallel) runConcurrently(emb, origSize, prompts, chunks, out);
			else for (List<Integer> chunk : chunks)
				run(session, emb, origSize, prompts, chunk, out);
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

	/**
	 * The embedding in a direct, native-order buffer, which ONNX Runtime reads in place. Only
	 * the last one is kept (weakly: it goes when the caller drops the embedding); embeddings are
	 * never modified after creation, so identity tells whether the copy is current.
	 */
	private FloatBuffer direct(ImageEmbedding embedding, EmbeddingTensor tensor) {
		synchronized (embeddingLock) {
			if (lastEmbedding.get() != embedding) {
				float[] data = tensor.data();
				FloatBuffer b = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.nativeOrder())
					.asFloatBuffer();
				b.put(data).rewind();
				lastEmbedding = new WeakReference<>(embedding);
				lastEmbeddingBuffer = b;
			}
			return lastEmbeddingBuffer.duplicate(); // own position, same read-only-by-convention data
		}
	}

	/**
	 * Prompt indices in chunks of one point count each (a batch needs one N, and padding prompts
	 * with extra "not a point" entries would change SAM's answer), at most maxBatch long, and
	 * small enough that a group gives at least {@code minChunks} chunks.
	 */
	private List<List<Integer>> chunks(List<DecoderPrompt> prompts, int minChunks) {
		Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < prompts.size(); i++)
			groups.computeIfAbsent(prompts.get(i).pointCount(), k -> new ArrayList<>()).add(i);
		List<List<Integer>> chunks = new ArrayList<>();
		for (List<Integer> group : groups.values()) {
			int size = Math.max(1, Math.min(maxBatch, (group.size() + minChunks - 1) / minChunks));
			for (int from = 0; from < group.size(); from += size)
				chunks.add(group.subList(from, Math.min(group.size(), from + size)));
		}
		return chunks;
	}

	private void runConcurrently(OnnxTensor emb, OnnxTensor origSize, List<DecoderPrompt> prompts,
		List<List<Integer>> chunks, DecoderOutput[] out) throws OrtException, SamException
	{
		// No Future.cancel: a native run cannot be stopped, and the caller closes emb and
		// origSize once this returns, so every submitted run is waited for; after a failure or
		// an interrupt the runs not yet started skip their work.
		AtomicBoolean stop = new AtomicBoolean();
		List<Future<?>> running = new ArrayList<>();
		ExecutorService p = pool();
		for (List<Integer> chunk : chunks)
			running.add(p.submit(() -> {
				if (!stop.get()) run(parallelSession, emb, origSize, prompts, chunk, out);
				return null;
			}));
		Throwable failure = null;
		boolean interrupted = false;
		for (Future<?> f : running) {
			while (true) {
				try {
					f.get();
					break;
				}
				catch (InterruptedException e) {
					interrupted = true;
					stop.set(true);
				}
				catch (ExecutionException e) {
					if (failure == null) failure = e.getCause();
					stop.set(true);
					break;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
			throw new SamException("Mask decoding was interrupted.");
		}
		if (failure instanceof OrtException) throw (OrtException) failure;
		if (failure instanceof SamException) throw (SamException) failure;
		if (failure instanceof RuntimeException) throw (RuntimeException) failure;
		if (failure != null) throw new SamException("The mask decoder failed: " + failure, failure);
	}

	private synchronized ExecutorService pool() {
		if (pool == null) pool = Executors.newFixedThreadPool(workers, r -> {
			Thread t = new Thread(r, "sam-decoder");
			t.setDaemon(true); // never keeps Fiji or the CLI from exiting
			return t;
		});
		return pool;
	}

	@Override
	public synchronized void close() {
		if (pool != null) pool.shutdownNow();
		pool = null;
	}

	private static SamException failed(OrtException e) {
		return new SamException("The mask decoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
	}

	private void run(OrtSession session, OnnxTensor emb, OnnxTensor origSize, List<DecoderPrompt> prompts,
		List<Integer> chunk, DecoderOutput[] out) throws OrtException, SamException
	{
		int l = spec.lowResSize();
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try (PromptTensors prompt = PromptTensors.of(env, prompts, chunk, l)) {
			inputs.put(names.input("image_embeddings"), emb);
			prompt.putInto(inputs, names);
			if (origSize != null) inputs.put(names.input("orig_im_size"), origSize);
			// Ask only for what is used: an official export also upsamples masks in the graph.
			try (OrtSession.Result result = session.run(inputs, requested)) {
				DecoderResults.read(result, names, l, chunk, out);
			}
		}
	}
}
