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
	private final ResizeGeometry geometry;
	private final List<MaskCandidate> candidates;
	private final List<MaskCandidate> selected;

	Segmentation(Prompt prompt, ResizeGeometry geometry, List<MaskCandidate> candidates,
		List<MaskCandidate> selected)
	{
		this.prompt = prompt;
		this.geometry = geometry;
		this.candidates = Collections.unmodifiableList(candidates);
		this.selected = Collections.unmodifiableList(selected);
	}

	public Prompt prompt() { return prompt; }

	public ResizeGeometry geometry() { return geometry; }

	/** Every decoder output, in token order. */
	public List<MaskCandidate> candidates() { return candidates; }

	/** The kept outputs: one, or three for {@link MaskSelection#ALL}. */
	public List<MaskCandidate> selected() { return selected; }

	/** The first kept output. */
	public MaskCandidate best() { return selected.get(0); }

	/** Full-resolution binary mask of a candidate (upsampled now). */
	public BinaryMask mask(MaskCandidate c) {
		return MaskPostprocessor.toMask(c.lowRes().logits(), c.lowRes().size(), geometry);
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

	/** The prompt for the next refinement step: same prompt, previous best logits as mask input. */
	public Prompt refine() {
		return prompt.withMaskInput(best().lowRes());
	}
}
