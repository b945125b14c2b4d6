package org.fijisam.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.MaskTokens;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.Segmentation;
import org.fijisam.core.propagation.StartObject;
import org.fijisam.ij.ImagePlusPlanes;

/**
 * The interactive state of one image: prompts of the object being drawn, the current masks
 * (cycled with a key), and accepted objects. Decoding runs on its own thread, latest request
 * wins, so mouse handling returns at once.
 */
final class InteractiveSession implements AutoCloseable {

	/** Told when a mask was put on the overlay (used by the latency benchmark). */
	interface Listener {
		void maskShown(long requestNanos);
	}

	private final ImagePlus imp;
	private final EmbeddingWorker embeddings;
	private final PromptState prompts = new PromptState();
	private final AcceptedObjects accepted;
	private final StackPropagation propagation;
	private final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "SAM decoding");
		t.setDaemon(true);
		return t;
	});
	private final AtomicLong generation = new AtomicLong();
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	// Written by the decoding thread, read by key handling: guarded by this.
	private Segmentation current;
	private List<MaskCandidate> cycle = new ArrayList<>();
	private int shown;
	private int z, t;

	InteractiveSession(ImagePlus imp, EmbeddingWorker embeddings) {
		this.imp = imp;
		this.embeddings = embeddings;
		this.accepted = new AcceptedObjects(imp);
		this.propagation = new StackPropagation(imp, embeddings.predictor());
	}

	ImagePlus image() {
		return imp;
	}

	void addListener(Listener l) {
		listeners.add(l);
	}

	/** Starts encoding the displayed plane if it is new (called on mouse move and slice change). */
	void prefetch() {
		embeddings.embedding(imp, imp.getZ(), imp.getT());
	}

	synchronized void addPoint(double x, double y, boolean foreground) {
		planeChanged();
		prompts.addPoint(x, y, foreground);
		update();
	}

	synchronized void setBox(double x0, double y0, double x1, double y1) {
		planeChanged();
		prompts.setBox(x0, y0, x1, y1);
		update();
	}

	/** Shows the next of the current masks (whole, part, sub-part). */
	synchronized void cycle() {
		if (cycle.size() < 2) return;
		shown = (shown + 1) % cycle.size();
		MaskCandidate c = cycle.get(shown);
		PreviewOverlay.show(imp, current.mask(c), prompts);
		IJ.showStatus(String.format(java.util.Locale.ROOT, "Segment Anything: mask %d/%d, score %.2f", shown + 1,
			cycle.size(), c.predictedIou()));
	}

	/** Accepts the shown mask as an object; clears the prompts for the next one. */
	synchronized void accept() {
		if (current == null || cycle.isEmpty()) {
			IJ.showStatus("Segment Anything: nothing to accept - click an object first");
			return;
		}
		MaskCandidate c = cycle.get(shown);
		accepted.accept(current.mask(c), c.predictedIou(), z, t);
		clear();
		IJ.showStatus("Segment Anything: " + accepted.count() + " object(s) accepted");
	}

	/**
	 * Carries the shown mask through the slices (z) or frames (t) in the background and adds it
	 * as one object: a label on every plane it was followed to, a ROI per plane.
	 */
	synchronized void propagate(ImagePlusPlanes.Axis axis) {
		if (propagation.isRunning()) {
			IJ.showStatus("Segment Anything: already propagating - Esc cancels");
			return;
		}
		if (current == null || cycle.isEmpty()) {
			IJ.showStatus("Segment Anything: nothing to propagate - click an object first, then P (z) or Shift+P (t)");
			return;
		}
		boolean alongZ = axis == ImagePlusPlanes.Axis.Z;
		if ((alongZ ? imp.getNSlices() : imp.getNFrames()) < 2) {
			IJ.showStatus("Segment Anything: " + imp.getTitle() + " has no " + (alongZ ? "slices" : "frames") +
				" to propagate through" + (alongZ ? imp.getNFrames() > 1 ? " - Shift+P goes through the frames" : ""
					: imp.getNSlices() > 1 ? " - P goes through the slices" : ""));
			return;
		}
		MaskCandidate c = cycle.get(shown);
		StartObject start = new StartObject(1, current.mask(c), current.view().isWholeImage() ? c.lowRes() : null);
		int pz = z, pt = t;
		clear();
		propagation.start(axis, pz, pt, start, planes -> {
			try {
				java.awt.EventQueue.invokeAndWait(() -> {
					synchronized (this) {
						accepted.acceptObject(planes);
					}
				});
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			catch (java.lang.reflect.InvocationTargetException e) {
				IJ.showStatus("Segment Anything: " + e.getCause());
			}
		});
	}

	/** Esc: cancels a running propagation (keeping the planes done), else clears the prompts. */
	void escape() {
		if (propagation.isRunning()) propagation.cancel();
		else clear();
	}

	/** The running or last propagation (for tests). */
	java.util.concurrent.CompletableFuture<Void> propagation() {
		return propagation.running();
	}

	/** Undoes the last prompt, or the last accepted object when no prompt is pending. */
	synchronized void undo() {
		if (prompts.undo()) {
			if (prompts.hasForeground()) update();
			else {
				generation.incrementAndGet();
				current = null;
				cycle = new ArrayList<>();
				PreviewOverlay.show(imp, null, prompts);
			}
		}
		else if (accepted.undo()) IJ.showStatus("Segment Anything: last object removed");
	}

	synchronized void clear() {
		generation.incrementAndGet();
		prompts.clear();
		current = null;
		cycle = new ArrayList<>();
		PreviewOverlay.clear(imp);
	}

	int acceptedCount() {
		return accepted.count();
	}

	ImagePlus labels() {
		return accepted.labels();
	}

	private void planeChanged() {
		if (imp.getZ() != z || imp.getT() != t) {
			if (!prompts.isEmpty()) clear();
			z = imp.getZ();
			t = imp.getT();
		}
	}

	/** Decodes the current prompts in the background; a newer request makes older ones moot. */
	private void update() {
		long requested = System.nanoTime();
		long gen = generation.incrementAndGet();
		PreviewOverlay.show(imp, currentMask(), prompts);
		if (!prompts.hasForeground()) return;
		Prompt prompt = prompts.toPrompt();
		int pz = z, pt = t;
		embeddings.embedding(imp, pz, pt).thenAcceptAsync(embedding -> decode(gen, embedding, prompt,
			requested), decoder).exceptionally(e -> {
				IJ.showStatus("Segment Anything: " + (e.getCause() != null ? e.getCause().getMessage() : e
					.getMessage()));
				return null;
			});
	}

	private BinaryMask currentMask() {
		return current == null || cycle.isEmpty() ? null : current.mask(cycle.get(shown));
	}

	private void decode(long gen, ImageEmbedding embedding, Prompt prompt, long requested) {
		if (generation.get() != gen) return;
		Segmentation s;
		try {
			s = embeddings.predictor().segment(embedding, prompt, MaskSelection.AUTO);
		}
		catch (SamException e) {
			IJ.showStatus("Segment Anything: " + e.getMessage());
			return;
		}
		// Cycle order: the recommended mask first, then the other ambiguity masks.
		List<MaskCandidate> order = new ArrayList<>(s.selected());
		for (MaskCandidate c : s.candidates())
			if (c.token() != MaskTokens.SINGLE && !order.contains(c)) order.add(c);
		BinaryMask mask = s.mask(order.get(0));
		synchronized (this) {
			if (generation.get() != gen) return;
			current = s;
			cycle = order;
			shown = 0;
			PreviewOverlay.show(imp, mask, prompts);
		}
		for (Listener l : listeners)
			l.maskShown(requested);
	}

	@Override
	public void close() {
		propagation.close();
		decoder.shutdownNow();
		PreviewOverlay.clear(imp);
	}
}
