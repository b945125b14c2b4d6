package org.fijisam.core.eval;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;

/**
 * Prompted segmentation quality for every object of one image, as in the SAM and micro-sam
 * papers: IoU for one positive point at the object's interior point (deepest pixel), for its
 * bounding box, and after N corrective points, each placed at the deepest pixel of the
 * largest error region (positive if it is a missed part, negative if it is a false one), with
 * the previous low-resolution logits fed back as the mask prompt.
 */
public final class PromptedEvaluation {

	/** Per-object IoUs, and each object's area in pixels (to see which sizes fail). */
	public static final class Result {
		public final double[] point;
		public final double[] box;
		public final double[] iterative;
		public final int[] area;

		Result(double[] point, double[] box, double[] iterative, int[] area) {
			this.point = point;
			this.box = box;
			this.iterative = iterative;
			this.area = area;
		}

		public int objects() {
			return point.length;
		}
	}

	private final SamPredictor predictor;
	private final int correctivePoints;

	public PromptedEvaluation(SamPredictor predictor, int correctivePoints) {
		this.predictor = predictor;
		this.correctivePoints = correctivePoints;
	}

	/**
	 * @param labels ground-truth instance labels of the embedded image (0 = background)
	 */
	public Result evaluate(ImageEmbedding embedding, int[] labels) throws SamException {
		int w = embedding.geometry().width(), h = embedding.geometry().height();
		List<ObjectMask> objects = ObjectMask.all(labels, w, h);
		int n = objects.size();
		double[] pointIou = new double[n], boxIou = new double[n], iterIou = new double[n];
		int[] area = new int[n];
		for (int i = 0; i < n; i++)
			area[i] = objects.get(i).pixels.length;
		if (n == 0) return new Result(pointIou, boxIou, iterIou, area);
		List<Prompt> points = new ArrayList<>(n), boxes = new ArrayList<>(n);
		for (ObjectMask obj : objects) {
			int[] deep = obj.deepestPixel();
			points.add(Prompt.point(deep[0] + 0.5, deep[1] + 0.5));
			boxes.add(Prompt.box(obj.x0, obj.y0, obj.x1 + 1, obj.y1 + 1));
		}
		List<Segmentation> segs = predictor.segment(embedding, points, MaskSelection.AUTO);
		List<Segmentation> boxSegs = predictor.segment(embedding, boxes, MaskSelection.AUTO);
		List<BinaryMask> current = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			BinaryMask m = segs.get(i).bestMask();
			current.add(m);
			pointIou[i] = objects.get(i).iou(m);
			boxIou[i] = objects.get(i).iou(boxSegs.get(i).bestMask());
			iterIou[i] = pointIou[i];
		}
		for (int round = 0; round < correctivePoints; round++) {
			List<Prompt> next = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				Segmentation s = segs.get(i);
				int[] fix = objects.get(i).correction(current.get(i));
				Prompt p = s.refine();
				// A perfect mask has no error region: repeat the last prompt with the mask fed back.
				next.add(fix == null ? p : p.withPoint(fix[0] + 0.5, fix[1] + 0.5, fix[2] == 1));
			}
			segs = predictor.segment(embedding, next, MaskSelection.SINGLE);
			for (int i = 0; i < n; i++) {
				current.set(i, segs.get(i).bestMask());
				iterIou[i] = objects.get(i).iou(current.get(i));
			}
		}
		return new Result(pointIou, boxIou, iterIou, area);
	}

}
