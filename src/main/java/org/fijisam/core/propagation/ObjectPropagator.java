package org.fijisam.core.propagation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Cancellation;
import org.fijisam.core.ConnectedComponents;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.LowResMask;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.core.UnsupportedImageException;

/**
 * Carries objects segmented on one plane of a z-stack or time series to the neighbouring
 * planes, both ways: each plane is prompted with what the previous plane gave (see
 * {@link NeighbourPrompt}) and its mask is kept only while it stays consistent
 * ({@link PropagationRules}); the first inconsistent plane stops that object in that
 * direction. All objects are decoded together, so each plane is encoded once (through the
 * predictor's cache), and only one plane is held at a time.
 */
public final class ObjectPropagator {

	private final SamPredictor predictor;
	private final PropagationRules rules;
	private final Consistency consistency;
	private final boolean prefetch;

	/** Encodes the next plane in the background while the current one is decoded. */
	public ObjectPropagator(SamPredictor predictor, PropagationRules rules) {
		this(predictor, rules, true);
	}

	/** @param prefetch false to encode each plane only when propagation reaches it */
	public ObjectPropagator(SamPredictor predictor, PropagationRules rules, boolean prefetch) {
		this.predictor = predictor;
		this.rules = rules != null ? rules : PropagationRules.defaults();
		this.consistency = new Consistency(this.rules);
		this.prefetch = prefetch;
	}

	public PropagationRules rules() { return rules; }

	/**
	 * Follows {@code objects} from {@code startPlane} (0-based) through {@code source}.
	 * Cancelling keeps the planes done so far: the result says {@link PropagationResult#cancelled()}
	 * and the objects' stop reasons say where.
	 *
	 * @throws InvalidPromptException start plane outside the stack, no objects, an empty start mask
	 * @throws UnsupportedImageException a single plane, or planes of different sizes
	 */
	public PropagationResult propagate(PlaneSource source, int startPlane, List<StartObject> objects,
		ProgressListener progress, Cancellation cancel) throws SamException
	{
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		int n = source.size();
		if (n < 2) throw new UnsupportedImageException("The image has " + (n == 1 ? "one plane" : "no planes") +
			": a 2D image has nothing to propagate through. Open a z-stack or a time series.");
		if (startPlane < 0 || startPlane >= n) throw new InvalidPromptException("The start plane " + (startPlane + 1) +
			" is outside the stack, which has planes 1.." + n + ".");
		if (objects.isEmpty()) throw new InvalidPromptException(
			"No object to propagate: segment at least one object on the start plane.");
		SamImage start = source.plane(startPlane);
		PlaneSize size = new PlaneSize(start, startPlane);
		List<PropagatedObject> tracks = startTracks(objects, startPlane, size);

		int total = steps(startPlane, n, Direction.FORWARD) + steps(startPlane, n, Direction.BACKWARD);
		Progress done = new Progress(p, total);
		boolean cancelled = false;
		double[][] firstMoves = new double[objects.size()][];
		try (PlanePrefetch planes = new PlanePrefetch(predictor, source, visitingOrder(startPlane, n), prefetch)) {
			for (Direction d : new Direction[] { Direction.FORWARD, Direction.BACKWARD }) {
				List<Carried> active = new ArrayList<>();
				for (int i = 0; i < objects.size(); i++) {
					Carried o = new Carried(tracks.get(i), objects.get(i).mask(), objects.get(i).logits());
					// Going back, the first move expected is the first move forward, reversed: an
					// object moving steadily was one move away on the previous plane. Without it the
					// first backward prompt sits where the object is on the start plane, and the masks
					// lag behind the object for several planes.
					if (d == Direction.BACKWARD && rules.followMotion() && firstMoves[i] != null) {
						o.dx = -firstMoves[i][0];
						o.dy = -firstMoves[i][1];
					}
					active.add(o);
				}
				if (cancelled) {
					stopAll(active, new StopReason(d, StopReason.Kind.CANCELLED, startPlane + d.step,
						"cancelled before plane " + (startPlane + d.step + 1)));
					continue;
				}
				int steps = steps(startPlane, n, d);
				for (int k = 1; !active.isEmpty(); k++) {
					int plane = startPlane + k * d.step;
					if (plane < 0 || plane >= n) {
						stopAll(active, new StopReason(d, StopReason.Kind.END_OF_STACK, -1, "reached the " +
							(d == Direction.FORWARD ? "last plane (" + n + ")" : "first plane (1)")));
						break;
					}
					if (k > rules.maxPlanes()) {
						stopAll(active, new StopReason(d, StopReason.Kind.PLANE_LIMIT, plane, "stopped before plane " +
							(plane + 1) + ": " + rules.maxPlanes() + " planes each way is the limit"));
						break;
					}
					if (c.isCancelled()) {
						cancelled = true;
						stopAll(active, new StopReason(d, StopReason.Kind.CANCELLED, plane, "cancelled before plane " +
							(plane + 1)));
						break;
					}
					step(planes.get(plane), plane, d, size, active, k == 1);
					if (k == 1 && d == Direction.FORWARD)
						for (Carried o : active) firstMoves[tracks.indexOf(o.track)] = new double[] { o.dx, o.dy };
					done.step("plane " + (plane + 1) + "/" + n + ", " + active.size() + " object" +
						(active.size() == 1 ? "" : "s") + " followed");
					if (active.isEmpty()) done.skip(steps - k);
				}
			}
		}
		done.finish(cancelled ? "cancelled" : "done");
		return new PropagationResult(n, size.width, size.height, tracks, cancelled);
	}

	/** Prompts every active object on {@code plane}, keeps the consistent masks, drops the others. */
	private void step(PlanePrefetch.Plane planeData, int plane, Direction d, PlaneSize size, List<Carried> active,
		boolean first) throws SamException
	{
		size.check(planeData.image, plane);
		ImageEmbedding embedding = planeData.embedding;
		List<Prompt> prompts = new ArrayList<>(active.size());
		for (Carried o : active)
			prompts.add(NeighbourPrompt.from(o.mask, rules.maskPrompt() ? o.logits : null, rules.box(), o.dx, o.dy));
		// AUTO: a box with a point is not ambiguous, so SAM's single mask (or the model's own rule).
		List<Segmentation> found = predictor.segment(embedding, prompts, MaskSelection.AUTO);
		if (rules.recentre()) found = recentred(embedding, found, prompts);
		else if (first && rules.followMotion() && rules.probeFirstMove()) found = probed(embedding, found, active);
		List<Carried> still = new ArrayList<>(active.size());
		for (int i = 0; i < active.size(); i++) {
			Carried o = active.get(i);
			MaskCandidate best = found.get(i).best();
			BinaryMask mask = found.get(i).mask(best);
			if (rules.closestMask()) {
				double bestOverlap = mask.iou(o.mask);
				for (MaskCandidate c : found.get(i).candidates()) {
					BinaryMask m = found.get(i).mask(c);
					double overlap = m.iou(o.mask);
					if (overlap > bestOverlap) {
						bestOverlap = overlap;
						best = c;
						mask = m;
					}
				}
			}
			if (rules.largestPiece()) mask = largestPiece(mask);
			StopReason why = consistency.check(d, plane, best, mask, o.mask, o.dx, o.dy);
			if (why != null) {
				o.track.stopped(why);
				continue;
			}
			o.track.put(plane, mask, new PlaneScore(best.predictedIou(), best.stability(), best.token()));
			if (rules.followMotion()) {
				double[] before = NeighbourPrompt.centroid(o.mask), now = NeighbourPrompt.centroid(mask);
				o.dx = now[0] - before[0];
				o.dy = now[1] - before[1];
			}
			o.mask = mask;
			o.logits = best.lowRes();
			still.add(o);
		}
		active.clear();
		active.addAll(still);
	}

	/**
	 * The first plane each way, where no move is known yet: the object is decoded from the
	 * start plane's point, the shift of that mask's centroid is taken as the move, and it is
	 * decoded again from the point moved by it. Objects whose move is already known (going back
	 * after going forward) keep their first decoding. The shift becomes the object's expected
	 * move, so the overlap rule on this plane allows for it too.
	 */
	private List<Segmentation> probed(ImageEmbedding embedding, List<Segmentation> first, List<Carried> active)
		throws SamException
	{
		List<Prompt> again = new ArrayList<>();
		List<Integer> which = new ArrayList<>();
		for (int i = 0; i < first.size(); i++) {
			Carried o = active.get(i);
			BinaryMask m = first.get(i).bestMask();
			if (o.dx != 0 || o.dy != 0 || m.area() == 0) continue;
			double[] before = NeighbourPrompt.centroid(o.mask), now = NeighbourPrompt.centroid(m);
			// The measured shift is the move expected from here on, also by the overlap rule.
			o.dx = now[0] - before[0];
			o.dy = now[1] - before[1];
			again.add(NeighbourPrompt.from(o.mask, rules.maskPrompt() ? o.logits : null, rules.box(), o.dx, o.dy));
			which.add(i);
		}
		if (again.isEmpty()) return first;
		List<Segmentation> second = predictor.segment(embedding, again, MaskSelection.AUTO);
		List<Segmentation> out = new ArrayList<>(first);
		for (int j = 0; j < which.size(); j++)
			if (second.get(j).bestMask().area() > 0) out.set(which.get(j), second.get(j));
		return out;
	}

	/** The largest 8-connected piece of {@code m} (m itself when it has at most one). */
	static BinaryMask largestPiece(BinaryMask m) {
		ConnectedComponents.Result r = ConnectedComponents.label(m.data(), m.width(), m.height(), true);
		if (r.count <= 1) return m;
		int largest = 1;
		for (int i = 2; i <= r.count; i++)
			if (r.areas[i] > r.areas[largest]) largest = i;
		byte[] piece = new byte[r.labels.length];
		for (int i = 0; i < piece.length; i++)
			if (r.labels[i] == largest) piece[i] = 1;
		return new BinaryMask(m.width(), m.height(), piece);
	}

	/** Each object decoded again from the deepest point of its first mask on this plane (kept when not empty). */
	private List<Segmentation> recentred(ImageEmbedding embedding, List<Segmentation> first, List<Prompt> prompts)
		throws SamException
	{
		List<Prompt> again = new ArrayList<>(first.size());
		for (int i = 0; i < first.size(); i++) {
			BinaryMask m = first.get(i).bestMask();
			again.add(m.area() == 0 ? prompts.get(i) : NeighbourPrompt.from(m, null, false, 0, 0));
		}
		List<Segmentation> second = predictor.segment(embedding, again, MaskSelection.AUTO);
		List<Segmentation> out = new ArrayList<>(first.size());
		for (int i = 0; i < first.size(); i++)
			out.add(second.get(i).bestMask().area() > 0 ? second.get(i) : first.get(i));
		return out;
	}

	private static List<PropagatedObject> startTracks(List<StartObject> objects, int startPlane, PlaneSize size)
		throws SamException
	{
		List<PropagatedObject> tracks = new ArrayList<>(objects.size());
		Set<Integer> labels = new HashSet<>();
		for (StartObject o : objects) {
			if (!labels.add(o.label())) throw new InvalidPromptException("Two objects have label " + o.label() +
				": give each object its own label.");
			BinaryMask m = o.mask();
			if (m.width() != size.width || m.height() != size.height) throw new InvalidPromptException(
				"The start mask of object " + o.label() + " is " + m.width() + "x" + m.height() + " but plane " +
					(startPlane + 1) + " is " + size.width + "x" + size.height + ".");
			if (m.area() == 0) throw new InvalidPromptException("The start mask of object " + o.label() + " on plane " +
				(startPlane + 1) + " is empty: segment the object on the start plane first.");
			PropagatedObject t = new PropagatedObject(o.label());
			t.put(startPlane, m, o.score());
			tracks.add(t);
		}
		return tracks;
	}

	/** Forward from the start, then backward: the planes in the order they are visited when no object stops early. */
	private List<Integer> visitingOrder(int startPlane, int n) {
		List<Integer> order = new ArrayList<>();
		for (int k = 1; k <= steps(startPlane, n, Direction.FORWARD); k++)
			order.add(startPlane + k);
		for (int k = 1; k <= steps(startPlane, n, Direction.BACKWARD); k++)
			order.add(startPlane - k);
		return order;
	}

	/** Planes to visit from the start in one direction, within the stack and the rules' limit. */
	private int steps(int startPlane, int n, Direction d) {
		int available = d == Direction.FORWARD ? n - 1 - startPlane : startPlane;
		return Math.min(available, rules.maxPlanes());
	}

	private static void stopAll(List<Carried> active, StopReason reason) {
		for (Carried o : active)
			o.track.stopped(reason);
		active.clear();
	}

	/** An object on its way in one direction: the last kept mask and logits prompt the next plane. */
	private static final class Carried {
		final PropagatedObject track;
		BinaryMask mask;
		LowResMask logits;
		/** The object's last move (centroid shift), expected again on the next plane. */
		double dx, dy;

		Carried(PropagatedObject track, BinaryMask mask, LowResMask logits) {
			this.track = track;
			this.mask = mask;
			this.logits = logits;
		}
	}

	/** The start plane's size, which every plane must share (checked as planes come). */
	private static final class PlaneSize {
		final int width, height, plane;

		PlaneSize(SamImage start, int plane) {
			this.width = start.width();
			this.height = start.height();
			this.plane = plane;
		}

		void check(SamImage image, int index) throws UnsupportedImageException {
			if (image.width() == width && image.height() == height) return;
			throw new UnsupportedImageException("Plane " + (index + 1) + " is " + image.width() + "x" + image.height() +
				" but the start plane " + (plane + 1) + " is " + width + "x" + height +
				": every plane of the stack must have the same size.");
		}
	}

	/** Counts visited planes for the progress bar; planes skipped once every object stopped count as done. */
	private static final class Progress {
		private final ProgressListener listener;
		private final int total;
		private int done;

		Progress(ProgressListener listener, int total) {
			this.listener = listener;
			this.total = Math.max(total, 1);
			listener.progress(0, "propagating");
		}

		void step(String message) {
			done++;
			listener.progress(Math.min(1, done / (double) total), message);
		}

		void skip(int planes) {
			done += planes;
		}

		void finish(String message) {
			listener.progress(1, message);
		}
	}
}
