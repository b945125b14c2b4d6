package org.fijisam.ij;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.ImagePlus;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;

/**
 * The prompted-segmentation tool behind the menu command, the SciJava command and the batch
 * command: encodes each plane that has prompts once, decodes all its objects together, and
 * returns the kept masks. Changes nothing in the image; output goes through
 * {@link ResultsPublisher}.
 */
public final class PromptedSegmentation {

	private final SamPredictor predictor;
	private ChannelMapping channels;
	private Normalization normalization = Normalization.auto();
	private MaskSelection selection = MaskSelection.AUTO;
	private ProgressListener progress = ProgressListener.NONE;
	private Cancellation cancellation = Cancellation.NEVER;

	public PromptedSegmentation(SamPredictor predictor) {
		this.predictor = predictor;
	}

	/** Channels feeding R, G, B; null for the default. */
	public PromptedSegmentation channels(ChannelMapping c) {
		channels = c;
		return this;
	}

	public PromptedSegmentation normalization(Normalization n) {
		normalization = n;
		return this;
	}

	public PromptedSegmentation selection(MaskSelection s) {
		selection = s;
		return this;
	}

	public PromptedSegmentation progress(ProgressListener p) {
		progress = p;
		return this;
	}

	public PromptedSegmentation cancellation(Cancellation c) {
		cancellation = c;
		return this;
	}

	/** Segments every object; throws before returning anything when one prompt is invalid. */
	public List<ObjectResult> run(ImagePlus imp, List<ObjectPrompt> objects) throws SamException {
		Map<String, List<ObjectPrompt>> byPlane = new LinkedHashMap<>();
		for (ObjectPrompt o : objects)
			byPlane.computeIfAbsent(o.slice() + "," + o.frame(), k -> new ArrayList<>()).add(o);
		List<ObjectResult> out = new ArrayList<>();
		int done = 0;
		for (List<ObjectPrompt> plane : byPlane.values()) {
			cancellation.check();
			ObjectPrompt first = plane.get(0);
			progress.progress(done / (double) byPlane.size(), "encoding z=" + first.slice() + ", t=" + first
				.frame());
			SamImage image = ImagePlusAdapter.toSamImage(imp, first.slice(), first.frame(), channels,
				normalization.forModel(predictor.spec()));
			ImageEmbedding embedding = predictor.embed(image);
			List<Prompt> prompts = new ArrayList<>();
			for (ObjectPrompt o : plane)
				prompts.add(o.toPrompt(embedding.geometry(), predictor.spec().lowResSize()));
			List<Segmentation> segs = predictor.segment(embedding, prompts, selection);
			for (int i = 0; i < plane.size(); i++) {
				ObjectPrompt o = plane.get(i);
				for (MaskCandidate c : segs.get(i).selected())
					out.add(new ObjectResult(o.name(), o.slice(), o.frame(), c, segs.get(i).mask(c)));
			}
			done++;
		}
		progress.progress(1, "");
		return out;
	}
}
