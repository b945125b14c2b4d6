package org.fijisam.ij;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import ij.ImagePlus;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Cancellation;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InvalidPromptException;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.core.propagation.Direction;
import org.fijisam.core.propagation.ObjectPropagator;
import org.fijisam.core.propagation.PlaneScore;
import org.fijisam.core.propagation.PropagatedObject;
import org.fijisam.core.propagation.PropagationResult;
import org.fijisam.core.propagation.PropagationRules;
import org.fijisam.core.propagation.StartObject;

/**
 * The tool behind "Segment with Prompts" with {@code propagate=z|t} and its SciJava twin: the
 * objects prompted on one plane are segmented there, then carried through the slices (z) or
 * frames (t) by {@link ObjectPropagator}. Changes nothing in the image; the caller publishes
 * {@link Result#objects()} (one label per object, a mask per plane).
 */
public final class PromptedPropagation {

	private final SamPredictor predictor;
	private ChannelMapping channels;
	private Normalization normalization = Normalization.auto();
	private MaskSelection selection = MaskSelection.AUTO;
	private PropagationRules rules = PropagationRules.defaults();
	private ProgressListener progress = ProgressListener.NONE;
	private Cancellation cancellation = Cancellation.NEVER;

	public PromptedPropagation(SamPredictor predictor) {
		this.predictor = predictor;
	}

	/** Channels feeding R, G, B; null for the default. */
	public PromptedPropagation channels(ChannelMapping c) {
		channels = c;
		return this;
	}

	public PromptedPropagation normalization(Normalization n) {
		normalization = n;
		return this;
	}

	/** Which mask of the start prompt becomes the object (the first selected one). */
	public PromptedPropagation selection(MaskSelection s) {
		selection = s;
		return this;
	}

	public PromptedPropagation rules(PropagationRules r) {
		rules = r;
		return this;
	}

	public PromptedPropagation progress(ProgressListener p) {
		progress = p;
		return this;
	}

	/** Cancelling keeps the planes done: the result says {@link Result#cancelled()}. */
	public PromptedPropagation cancellation(Cancellation c) {
		cancellation = c;
		return this;
	}

	/**
	 * The stop rules as the Fiji command and its SciJava twin take them: {@code maxPlanes} 0 =
	 * no limit (0 planes each way would propagate nothing); a value out of range throws
	 * IllegalArgumentException with a message.
	 */
	public static PropagationRules rules(double minOverlap, double minIou, double minStability, int maxPlanes) {
		if (maxPlanes < 0) throw new IllegalArgumentException("max_planes=" + maxPlanes +
			": give the most planes each way from the start plane, or 0 for no limit.");
		PropagationRules.Builder b = PropagationRules.builder().minOverlap(minOverlap).minPredictedIou(minIou)
			.minStability(minStability);
		if (maxPlanes > 0) b.maxPlanes(maxPlanes);
		return b.build();
	}

	/** How the entry point spells an option in its messages: {@code key=value} in macros, {@code --key value} on the command line. */
	public interface Spelling {
		String of(String key, String value);

		/** How to ask for no propagation at all. */
		String noPropagation();

		/** ImageJ macro and dialog keys. */
		Spelling MACRO = new Spelling() {
			@Override
			public String of(String key, String value) { return key + "=" + value; }

			@Override
			public String noPropagation() { return "propagate=none"; }
		};
	}

	/**
	 * Checks, before a model is loaded, that the image has planes along the axis and that all
	 * objects are prompted on one plane; returns that plane along the axis (1-based).
	 */
	public static int startPlane(ImagePlus imp, ImagePlusPlanes.Axis axis, List<ObjectPrompt> objects)
		throws SamException
	{
		checkPlanes(imp, axis, Spelling.MACRO);
		boolean z = axis == ImagePlusPlanes.Axis.Z;
		TreeSet<String> at = new TreeSet<>();
		for (ObjectPrompt o : objects)
			at.add(z ? "z=" + o.slice() + (imp.getNFrames() > 1 ? ", t=" + o.frame() : "") : "t=" + o.frame() + (imp
				.getNSlices() > 1 ? ", z=" + o.slice() : ""));
		if (at.size() > 1) throw new InvalidPromptException("With propagate=" + (z ? "z" : "t") + " all prompts " +
			"must be on one plane, where the objects start; they are on " + String.join(" and ", at) +
			". Keep the prompts of one plane (or run once per start plane).");
		return z ? objects.get(0).slice() : objects.get(0).frame();
	}

	/** Checks that the image has planes to propagate through along the axis (a 2D image has none). */
	public static void checkPlanes(ImagePlus imp, ImagePlusPlanes.Axis axis, Spelling spelling)
		throws UnsupportedImageException
	{
		boolean z = axis == ImagePlusPlanes.Axis.Z;
		int planes = z ? imp.getNSlices() : imp.getNFrames();
		if (planes >= 2) return;
		throw new UnsupportedImageException(imp.getTitle() + " has " + imp.getNSlices() + " slice(s) and " + imp
			.getNFrames() + " frame(s): there is nothing to propagate through along " + (z ? "z" : "t") + (z && imp
				.getNFrames() > 1 ? "; use " + spelling.of("propagate", "t") : !z && imp.getNSlices() > 1 ? "; use " +
					spelling.of("propagate", "z") : "; use " + spelling.noPropagation() + ", or open a stack") + ".");
	}

	/** Segments the ROI-made objects on their plane and carries them through the axis. */
	public Result run(ImagePlus imp, ImagePlusPlanes.Axis axis, List<ObjectPrompt> objects) throws SamException {
		startPlane(imp, axis, objects);
		ObjectPrompt first = objects.get(0);
		List<String> names = new ArrayList<>();
		for (ObjectPrompt o : objects)
			names.add(o.name());
		return run(imp, axis, first.slice(), first.frame(), names, e -> {
			List<Prompt> prompts = new ArrayList<>();
			for (ObjectPrompt o : objects)
				prompts.add(o.toPrompt(e.geometry(), predictor.spec().lowResSize()));
			return prompts;
		}, Spelling.MACRO);
	}

	/** Makes the objects' prompts once the start plane is embedded (ROI masks need its geometry). */
	public interface StartPrompts {
		List<Prompt> on(ImageEmbedding startPlane) throws SamException;
	}

	/**
	 * Segments objects on the plane at {@code slice, frame} (1-based; the axis says which of the
	 * two is the start) from their prompts, one object each, labels 1, 2, ... in order, and
	 * carries them through the axis.
	 */
	public Result run(ImagePlus imp, ImagePlusPlanes.Axis axis, int slice, int frame, List<String> names,
		StartPrompts startPrompts, Spelling spelling) throws SamException
	{
		checkPlanes(imp, axis, spelling);
		boolean z = axis == ImagePlusPlanes.Axis.Z;
		int start = (z ? slice : frame) - 1, planes = z ? imp.getNSlices() : imp.getNFrames();
		if (start < 0 || start >= planes) throw new InvalidPromptException("The start " + spelling.of(z ? "slice"
			: "frame", Integer.toString(start + 1)) + " is outside the image, which has " + planes + " along " + (z
				? "z" : "t") + ".");
		progress.progress(0, "measuring the intensity range");
		// One intensity range for all planes, the start plane included, so the object keeps its contrast.
		ImagePlusPlanes source = ImagePlusPlanes.along(imp, axis, slice, frame, channels, normalization.forModel(
			predictor.spec()), cancellation);
		cancellation.check();
		progress.progress(0, "segmenting the start plane");
		ImageEmbedding embedding = predictor.embed(source.plane(start));
		List<Segmentation> segs = predictor.segment(embedding, startPrompts.on(embedding), selection);
		List<StartObject> starts = new ArrayList<>();
		for (int i = 0; i < segs.size(); i++) {
			if (segs.get(i).bestMask().area() == 0) throw new InvalidPromptException("The prompt of " + names.get(i) +
				" gave an empty mask on its plane: move it onto the object.");
			starts.add(StartObject.of(i + 1, segs.get(i)));
		}
		PropagationResult r = new ObjectPropagator(predictor, rules).propagate(source, start, starts, progress,
			cancellation);
		return new Result(r, source, names);
	}

	/** The objects carried through the stack and where each plane lies in the image. */
	public static final class Result {
		private final PropagationResult propagation;
		private final ImagePlusPlanes planes;
		private final List<String> names;

		Result(PropagationResult propagation, ImagePlusPlanes planes, List<String> names) {
			this.propagation = propagation;
			this.planes = planes;
			this.names = names;
		}

		public PropagationResult propagation() { return propagation; }

		/** True when the user cancelled: the planes done before are kept. */
		public boolean cancelled() { return propagation.cancelled(); }

		/** Per object (in prompt order), its mask on every plane it was followed to, with slice and frame. */
		public List<List<ObjectResult>> objects() {
			List<List<ObjectResult>> out = new ArrayList<>();
			for (int i = 0; i < propagation.objects().size(); i++) {
				PropagatedObject o = propagation.objects().get(i);
				List<ObjectResult> masks = new ArrayList<>();
				for (Map.Entry<Integer, BinaryMask> e : o.masks().entrySet()) {
					int p = e.getKey();
					PlaneScore s = o.score(p);
					masks.add(new ObjectResult(names.get(i), planes.slice(p), planes.frame(p), s.predictedIou(), s
						.stability(), s.token(), e.getValue()));
				}
				out.add(masks);
			}
			return out;
		}

		/** One line per object: where it was followed and why it stopped each way (planes 1-based). */
		public List<String> summary() {
			List<String> lines = new ArrayList<>();
			for (int i = 0; i < propagation.objects().size(); i++) {
				PropagatedObject o = propagation.objects().get(i);
				lines.add(String.format(Locale.ROOT, "%s (label %d): planes %d..%d; backward %s; forward %s", names.get(
					i), o.label(), o.firstPlane() + 1, o.lastPlane() + 1, o.stop(Direction.BACKWARD).message(), o.stop(
						Direction.FORWARD).message()));
			}
			return lines;
		}
	}
}
