package org.fijisam.core.propagation;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fijisam.core.CancelledException;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;

/**
 * Encodes the plane propagation will need next on a background thread while the current plane
 * is decoded, so the encoder (most of the time on a stack seen for the first time) overlaps
 * with decoding and mask work. Planes are asked for in a known order (forward from the start,
 * then backward); where the objects end in one direction the order jumps, and the plane
 * encoded ahead for nothing is dropped: at most one encoding is wasted each way, and at most
 * one plane beyond the current one is held. Embeddings also go through the predictor's cache, so
 * a second run on the same stack encodes nothing.
 */
final class PlanePrefetch implements AutoCloseable {

	/** A plane and its embedding. */
	static final class Plane {
		final SamImage image;
		final ImageEmbedding embedding;

		Plane(SamImage image, ImageEmbedding embedding) {
			this.image = image;
			this.embedding = embedding;
		}
	}

	private final SamPredictor predictor;
	private final PlaneSource source;
	private final List<Integer> order;
	private final ExecutorService worker;
	private int pendingPlane = -1;
	private Future<Plane> pending;

	/**
	 * @param order the planes in the order propagation visits them when no object stops early
	 * @param background false to encode each plane only when it is asked for
	 */
	PlanePrefetch(SamPredictor predictor, PlaneSource source, List<Integer> order, boolean background) {
		this.predictor = predictor;
		this.source = source;
		this.order = order;
		this.worker = background && order.size() > 1 ? Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, "SAM plane prefetch");
			t.setDaemon(true);
			return t;
		}) : null;
		if (worker != null && !order.isEmpty()) schedule(order.get(0));
	}

	/** Plane {@code index} with its embedding; starts encoding the plane after it in the order. */
	Plane get(int index) throws SamException {
		Plane p;
		if (pending != null && pendingPlane == index) p = await(pending);
		else {
			// Not the plane encoded ahead (the order jumped): the encoding under way, if any,
			// runs to its end on its own (stopping ONNX Runtime half way is not possible).
			if (pending != null) pending.cancel(false);
			p = load(index);
		}
		pending = null;
		pendingPlane = -1;
		int at = order.indexOf(index);
		if (worker != null && at >= 0 && at + 1 < order.size()) schedule(order.get(at + 1));
		return p;
	}

	private void schedule(int index) {
		pendingPlane = index;
		pending = worker.submit(() -> load(index));
	}

	private Plane load(int index) throws SamException {
		SamImage image = source.plane(index);
		return new Plane(image, predictor.embed(image));
	}

	private static Plane await(Future<Plane> f) throws SamException {
		try {
			return f.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CancelledException();
		} catch (CancellationException e) {
			throw new IllegalStateException("a plane encoded ahead was cancelled while still needed", e);
		} catch (ExecutionException e) {
			Throwable cause = e.getCause();
			if (cause instanceof SamException) throw (SamException) cause;
			if (cause instanceof RuntimeException) throw (RuntimeException) cause;
			if (cause instanceof Error) throw (Error) cause;
			throw new IllegalStateException(cause);
		}
	}

	/**
	 * Waits for an encoding still under way: the caller may close the model right after
	 * propagation, and a session must not be closed while it runs.
	 */
	@Override
	public void close() {
		if (worker == null) return;
		if (pending != null) pending.cancel(false);
		worker.shutdown();
		try {
			worker.awaitTermination(5, TimeUnit.MINUTES);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
