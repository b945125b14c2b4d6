package org.fijisam.plugin;

import java.util.List;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ObjectPrompt;
import org.fijisam.ij.ObjectResult;
import org.fijisam.ij.PromptedPropagation;
import org.fijisam.ij.ResultsPublisher;

/**
 * "Segment with Prompts" with {@code propagate=z|t}: the prompts of one plane become objects
 * carried through the stack; one label per object on every plane, a ROI per object and plane,
 * a table row per ROI. Esc cancels and keeps the planes done.
 */
final class PropagateWithPrompts {

	private PropagateWithPrompts() {}

	static void run(ImagePlus imp, List<ObjectPrompt> objects, SegmentPromptsOptions o) throws SamException {
		String title = Segment_With_Prompts.TITLE;
		// Before the model is loaded: a 2D image or prompts on several planes stop here.
		PromptedPropagation.startPlane(imp, o.propagate, objects);
		IJ.showStatus(title + ": loading the model...");
		SamPredictor predictor = ModelRegistry.shared().predictor(o.model);
		IJ.resetEscape();
		PromptedPropagation.Result r = new PromptedPropagation(predictor).channels(o.channelMapping()).normalization(o
			.normalization()).selection(o.selection).rules(o.rules).progress((f, msg) -> {
				IJ.showProgress(f);
				if (!msg.isEmpty()) IJ.showStatus(title + ": " + msg + " (Esc cancels)");
			}).cancellation(IJ::escapePressed).run(imp, o.propagate, objects);
		ResultsPublisher.Builder b = new ResultsPublisher.Builder(imp, 1);
		for (List<ObjectResult> object : r.objects())
			b.addObject(object);
		Segment_With_Prompts.publish(imp, b.build(), o);
		for (String line : r.summary())
			IJ.log(title + ": " + line);
		IJ.showStatus(title + ": " + objects.size() + " object(s) through " + r.propagation().planes() + " planes" + (r
			.cancelled() ? "; cancelled, the planes done are kept" : ""));
	}
}
