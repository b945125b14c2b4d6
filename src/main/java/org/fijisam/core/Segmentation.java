package org.fijisam.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result for one prompt: every candidate the decoder returned, the ones selected, and
 * full-resolution masks computed on demand (only for what is asked).
 */
public final class Segmentation {

	private final Prompt prompt;
	private final EmbeddedWindow view;
	private final List<MaskCandidate> candidates;
	private final List<MaskCandidate> selected;

	Segmentation(Prompt prompt, EmbeddedWindow view, List<MaskCandidate> candidates,
		List<MaskCandidate> selected)
	{
		this.prompt = prompt;
		this.view = view;
		this.candidates = Collections.unmodifiableList(candidates);
		this.selected = Collections.unmodifiableList(selected);
	}

	public Prompt prompt() { return prompt; }

	/** The geometry of the embedding the masks were decoded in (the window's, when zoomed). */
	public ResizeGeometry geometry() { return view.embedding().geometry(); }

	/** The embedding (of the whole image, or of a window of it) the masks were decoded in. */
	public EmbeddedWindow view() { return view; }

	/** Every decoder output, in token order. */
	public List<MaskCandidate> candidates() { return candidates; }

	/** The kept outputs: one, or three for {@link MaskSelection#ALL}. */
	public List<MaskCandidate> selected() { return selected; }

	/** The first kept output. */
	public MaskCandidate best() { return selected.get(0); }

	/** Full-resolution binary mask of a candidate, the size of the whole image (upsampled now). */
	public BinaryMask mask(MaskCandidate c) {
		return view.placeInImage(maskInView(c));
	}

	/** A candidate's mask the size of the window it was decoded in. */
	public BinaryMask maskInView(MaskCandidate c) {
		return MaskPostprocessor.toMask(c.lowRes().logits(), c.lowRes().size(), geometry());
	}

	public BinaryMask bestMask() {
		return mask(best());
	}

	/** Masks of all kept outputs. */
	public List<BinaryMask> selectedMasks() {
		List<BinaryMask> masks = new ArrayList<>();
		for (MaskCandidate c : selected)
			masks.add(mask(c));
		return masks;
	}

	/**
	 * The prompt for the next refinement step: same prompt, previous best logits as mask input
	 * (those logits belong to {@link #view()}: decode the refined prompt there).
	 */
	public Prompt refine() {
		return prompt.withMaskInput(best().lowRes());
	}
}
