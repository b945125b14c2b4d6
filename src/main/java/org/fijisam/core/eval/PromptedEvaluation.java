package org.fijisam.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.MaskTokens;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.ZoomingSegmenter;
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
		/**
		 * For the point prompt, the IoU of every decoder output [object][token] (NaN for a token
		 * the model lacks): shows what the choice among SAM's ambiguity masks costs.
		 */
		public final double[][] pointByToken;

		Result(double[] point, double[] box, double[] iterative, int[] area, double[][] pointByToken) {
			this.point = point;
			this.box = box;
			this.iterative = iterative;
			this.area = area;
			this.pointByToken = pointByToken;
		}

		public int objects() {
			return point.length;
		}
	}

	/** Objects evaluated together (decoded in one batch where they share an embedding). */
	private static final int CHUNK = 64;
	/** Every token a decoder may return (see {@link MaskTokens}). */
	public static final int TOKENS = MaskTokens.COUNT;

	private final ZoomingSegmenter segmenter;
	private final int correctivePoints;

	/** Prompts decoded the way the segmenter does it (with or without zooming in on small objects). */
	public PromptedEvaluation(ZoomingSegmenter segmenter, int correctivePoints) {
		this.segmenter = segmenter;
		this.correctivePoints = correctivePoints;
	}

	/**
	 * @param image the image plane, for windows of it when zooming
	 * @param embedding its embedding
	 * @param labels ground-truth instance labels of the embedded image (0 = background)
	 */
	public Result evaluate(SamImage image, ImageEmbedding embedding, int[] labels) throws SamException {
		int w = embedding.geometry().width(), h = embedding.geometry().height();
		List<ObjectMask> objects = ObjectMask.all(labels, w, h);
		int n = objects.size();
		double[] pointIou = new double[n], boxIou = new double[n], iterIou = new double[n];
		int[] area = new int[n];
		for (int i = 0; i < n; i++)
			area[i] = objects.get(i).pixels.length;
		double[][] byToken = new double[n][];
		if (n == 0) return new Result(pointIou, boxIou, iterIou, area, byToken);
		// In chunks: each object holds full-size masks and, when zooming, its own window's
		// embedding, which for images with a thousand nuclei would not fit in memory at once.
		for (int start = 0; start < n; start += CHUNK)
			evaluateChunk(image, embedding, objects.subList(start, Math.min(n, start + CHUNK)), start, pointIou, boxIou,
				iterIou, byToken);
		return new Result(pointIou, boxIou, iterIou, area, byToken);
	}

	private void evaluateChunk(SamImage image, ImageEmbedding embedding, List<ObjectMask> objects, int offset,
		double[] pointIou, double[] boxIou, double[] iterIou, double[][] byToken) throws SamException
	{
		int n = objects.size();
		List<Prompt> points = new ArrayList<>(n), boxes = new ArrayList<>(n);
		for (ObjectMask obj : objects) {
			int[] deep = obj.deepestPixel();
			points.add(Prompt.point(deep[0] + 0.5, deep[1] + 0.5));
			boxes.add(Prompt.box(obj.x0, obj.y0, obj.x1 + 1, obj.y1 + 1));
		}
		List<Segmentation> segs = segmenter.segment(image, embedding, points, MaskSelection.AUTO);
		List<Segmentation> boxSegs = segmenter.segment(image, embedding, boxes, MaskSelection.AUTO);
		List<BinaryMask> current = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			// Every output's mask is scored; the chosen one is among them.
			Segmentation s = segs.get(i);
			double[] t = new double[TOKENS];
			Arrays.fill(t, Double.NaN);
			BinaryMask chosen = null;
			for (MaskCandidate c : s.candidates()) {
				BinaryMask m = s.mask(c);
				if (c == s.best()) chosen = m;
				if (c.token() < TOKENS) t[c.token()] = objects.get(i).iou(m);
			}
			byToken[offset + i] = t;
			current.add(chosen);
			pointIou[offset + i] = objects.get(i).iou(chosen);
			boxIou[offset + i] = objects.get(i).iou(boxSegs.get(i).bestMask());
			iterIou[offset + i] = pointIou[offset + i];
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
			segs = segmenter.refine(image, embedding, segs, next, MaskSelection.SINGLE);
			for (int i = 0; i < n; i++) {
				current.set(i, segs.get(i).bestMask());
				iterIou[offset + i] = objects.get(i).iou(current.get(i));
			}
		}
	}

}
