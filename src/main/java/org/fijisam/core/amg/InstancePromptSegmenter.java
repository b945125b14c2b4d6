package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Cancellation;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.core.ais.AisParameters;

/**
 * Automatic prompt generation ("apg", as micro-sam): the instance decoder's objects
 * ({@link InstanceSegmenter}) become prompts for the mask decoder, each its box and a point at
 * its centre, decoded together on the one embedding; the masks are filtered by predicted IoU and
 * stability (the preset's thresholds) and by box NMS. One encoder run, one instance-decoder run
 * and one batched mask-decoder run per plane.
 */
public final class InstancePromptSegmenter implements PlaneSegmenter {

	/** Where the prompts come from. */
	private final InstanceSegmenter instances;
	private final SamPredictor predictor;
	private final AmgParameters params;

	public InstancePromptSegmenter(SamPredictor predictor, AmgParameters params, AisParameters ais) {
		this.instances = new InstanceSegmenter(predictor, params, ais);
		this.predictor = predictor;
		this.params = params;
	}

	@Override
	public AmgParameters parameters() { return params; }

	@Override
	public SamPredictor predictor() { return predictor; }

	@Override
	public String mode() { return "apg"; }

	public AisParameters aisParameters() { return instances.aisParameters(); }

	@Override
	public AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException {
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		long t0 = System.nanoTime();
		p.progress(0, "encoding");
		ImageEmbedding e = predictor.embed(image);
		long t1 = System.nanoTime();
		if (cancel != null) cancel.check();
		List<GeneratedMask> seeds = instances.objects(e, image);
		p.progress(0.5, seeds.size() + " prompts from the instance decoder");
		// Objects the label image would drop anyway are not worth a prompt.
		seeds.removeIf(s -> s.area() < Math.max(1, params.minObjectSize()));
		List<Prompt> prompts = new ArrayList<>(seeds.size());
		for (GeneratedMask s : seeds) {
			double[] b = s.mask().samBox();
			double[] c = s.pointCoords();
			Prompt point = Prompt.point(c[0] + 0.5, c[1] + 0.5);
			// a one-pixel-wide object has a box of no size: its centre point alone
			prompts.add(b[2] > b[0] && b[3] > b[1] ? Prompt.box(b[0], b[1], b[2], b[3]).withPoint(c[0] + 0.5, c[1] + 0.5,
				true) : point);
		}
		List<Segmentation> decoded = prompts.isEmpty() ? List.of() : predictor.segment(e, prompts, MaskSelection.AUTO);
		long t2 = System.nanoTime();
		List<GeneratedMask> candidates = new ArrayList<>();
		int[] whole = { 0, 0, image.width(), image.height() };
		for (int i = 0; i < decoded.size(); i++) {
			MaskCandidate best = decoded.get(i).best();
			if (!(best.predictedIou() > params.predIouThresh()) || best.stability() < params.stabilityScoreThresh())
				continue;
			BinaryMask m = decoded.get(i).bestMask();
			LocalMask local = LocalMask.of(m);
			if (local == null) continue;
			double[] c = seeds.get(i).pointCoords();
			candidates.add(new GeneratedMask(local, best.predictedIou(), best.stability(), c[0], c[1], whole));
		}
		double[][] boxes = new double[candidates.size()][];
		double[] scores = new double[candidates.size()];
		for (int i = 0; i < boxes.length; i++) {
			boxes[i] = candidates.get(i).mask().samBox();
			scores[i] = candidates.get(i).predictedIou();
		}
		List<GeneratedMask> kept = new ArrayList<>();
		for (int i : BoxNms.keep(boxes, scores, params.boxNmsThresh()))
			kept.add(candidates.get(i));
		AmgTimings t = new AmgTimings();
		t.encoderNanos = t1 - t0;
		t.decoderNanos = t2 - t1;
		t.postprocessNanos = System.nanoTime() - t2;
		t.totalNanos = System.nanoTime() - t0;
		t.crops = 1;
		t.prompts = prompts.size();
		t.candidates = decoded.size();
		t.kept = kept.size();
		p.progress(1, "done");
		return new AmgResult(image.width(), image.height(), kept, params, t);
	}
}
