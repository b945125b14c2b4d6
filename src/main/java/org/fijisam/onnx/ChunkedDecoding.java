package org.fijisam.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.SamException;

/**
 * How a mask decoder (SAM 1 or SAM 2) spreads one call over decoder runs. Prompts go in chunks
 * of one point count each (a batch needs one N, and padding prompts with extra "not a point"
 * entries would change SAM's answer), at most maxBatch long. Calls with many prompts (segment
 * everything, evaluation) are cut into one chunk per worker at least and run at once on a
 * single-threaded session, one chunk per core: the decoder's operators are small, and one run
 * spread over all cores spends much of its time synchronising threads. Few prompts (a click)
 * keep the multi-threaded session, which answers one prompt sooner. Each element of a batch
 * equals its run alone, so the split never changes a result.
 */
final class ChunkedDecoding implements AutoCloseable {

	/** Calls with fewer prompts run on the multi-threaded session, in order. */
	static final int PARALLEL_MIN_PROMPTS = 16;

	/** One decoder run on a chunk of prompt indices, writing its outputs in place. */
	interface Run {
		void run(OrtSession session, List<Integer> chunk) throws OrtException, SamException;
	}

	private final OrtSession session;
	private final OrtSession parallelSession;
	private final int maxBatch;
	private final int workers;
	private ExecutorService pool;

	/**
	 * @param batchAxis whether the decoder takes more than one prompt per run
	 * @param parallelSession a single-threaded session of the same decoder for concurrent runs,
	 *        or null to run every chunk on {@code session}, in order
	 * @param workers how many chunks run at once on {@code parallelSession}
	 */
	ChunkedDecoding(OrtSession session, boolean batchAxis, int maxBatch, OrtSession parallelSession, int workers) {
		this.session = session;
		this.maxBatch = batchAxis ? maxBatch : 1;
		this.parallelSession = batchAxis && workers > 1 ? parallelSession : null;
		this.workers = this.parallelSession != null ? workers : 1;
	}

	/** How many chunks of a large call run at once (1: all in order on one session). */
	int workers() { return workers; }

	/** Runs every prompt; returns once all runs have ended. */
	void runAll(List<DecoderPrompt> prompts, Run run) throws OrtException, SamException {
		boolean parallel = workers > 1 && prompts.size() >= PARALLEL_MIN_PROMPTS;
		List<List<Integer>> chunks = chunks(prompts, parallel ? workers : 1);
		if (parallel) runConcurrently(chunks, run);
		else for (List<Integer> chunk : chunks)
			run.run(session, chunk);
	}

	/** Chunks small enough that a group of one point count gives at least {@code minChunks}. */
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

	private void runConcurrently(List<List<Integer>> chunks, Run run) throws OrtException, SamException {
		// No Future.cancel: a native run cannot be stopped, and the caller closes the shared
		// input tensors once this returns, so every submitted run is waited for; after a
		// failure or an interrupt the runs not yet started skip their work.
		AtomicBoolean stop = new AtomicBoolean();
		List<Future<?>> running = new ArrayList<>();
		ExecutorService p = pool();
		for (List<Integer> chunk : chunks)
			running.add(p.submit(() -> {
				if (!stop.get()) run.run(parallelSession, chunk);
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
}
