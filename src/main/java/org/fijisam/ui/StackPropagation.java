package org.fijisam.ui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.propagation.Direction;
import org.fijisam.core.propagation.ObjectPropagator;
import org.fijisam.core.propagation.PlaneScore;
import org.fijisam.core.propagation.PropagatedObject;
import org.fijisam.core.propagation.PropagationResult;
import org.fijisam.core.propagation.StartObject;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.ij.ObjectResult;

/**
 * Carries the object shown by the tool through the slices or frames on a background thread
 * (the canvas stays responsive), with progress in the status bar; {@link #cancel()} (Esc)
 * stops it and keeps the planes done. One propagation at a time per image.
 */
final class StackPropagation {

	private final ImagePlus imp;
	private final SamPredictor predictor;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "SAM propagation");
		t.setDaemon(true);
		return t;
	});
	private final AtomicBoolean cancelled = new AtomicBoolean();
	private volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

	StackPropagation(ImagePlus imp, SamPredictor predictor) {
		this.imp = imp;
		this.predictor = predictor;
	}

	boolean isRunning() {
		return !running.isDone();
	}

	/** Stops the running propagation; the planes done are still handed over. */
	void cancel() {
		cancelled.set(true);
	}

	/** The running (or last) propagation, done when its object was handed over (for tests). */
	CompletableFuture<Void> running() {
		return running;
	}

	/**
	 * Starts carrying {@code start} (on 1-based plane z, t) along the axis; {@code done}
	 * receives the object's mask on every plane it was followed to.
	 */
	synchronized void start(ImagePlusPlanes.Axis axis, int z, int t, StartObject start,
		Consumer<List<ObjectResult>> done)
	{
		cancelled.set(false);
		running = CompletableFuture.runAsync(() -> {
			try {
				done.accept(run(axis, z, t, start));
			}
			catch (SamException e) {
				IJ.showStatus("Segment Anything: " + e.getMessage());
			}
			finally {
				IJ.showProgress(1.0);
			}
		}, worker);
	}

	private List<ObjectResult> run(ImagePlusPlanes.Axis axis, int z, int t, StartObject start) throws SamException {
		// Normalised like the tool's embeddings (each plane its own range) would differ from plane
		// to plane; one range over the axis keeps the object's contrast, as the menu command does.
		ImagePlusPlanes source = ImagePlusPlanes.along(imp, axis, z, t, null, Normalization.auto().forModel(predictor
			.spec()), cancelled::get);
		int startIndex = (axis == ImagePlusPlanes.Axis.Z ? z : t) - 1;
		PropagationResult r = new ObjectPropagator(predictor, null).propagate(source, startIndex, Collections
			.singletonList(start), (f, msg) -> {
				IJ.showProgress(f);
				if (!msg.isEmpty()) IJ.showStatus("Segment Anything: propagating, " + msg + " (Esc cancels)");
			}, cancelled::get);
		PropagatedObject o = r.objects().get(0);
		List<ObjectResult> planes = new ArrayList<>();
		for (Map.Entry<Integer, BinaryMask> e : o.masks().entrySet()) {
			PlaneScore s = o.score(e.getKey());
			planes.add(new ObjectResult("", source.slice(e.getKey()), source.frame(e.getKey()), s.predictedIou(), s
				.stability(), s.token(), e.getValue()));
		}
		IJ.showStatus(String.format(Locale.ROOT, "Segment Anything: object on planes %d..%d%s; backward %s; " +
			"forward %s", o.firstPlane() + 1, o.lastPlane() + 1, r.cancelled() ? " (cancelled)" : "", o.stop(
				Direction.BACKWARD).message(), o.stop(Direction.FORWARD).message()));
		return planes;
	}

	void close() {
		cancel();
		worker.shutdownNow();
	}
}
