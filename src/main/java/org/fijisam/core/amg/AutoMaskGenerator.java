package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.DecoderOutput;
import org.fijisam.core.MaskTokens;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;

/**
 * SAM's automatic mask generation ("segment everything") on one image plane, step by step
 * as in sam-reference section 4:
 * <ol>
 * <li>crop boxes (layer 0 = whole image, plus crop_n_layers layers of overlapping crops);</li>
 * <li>per crop: encode the crop, decode a regular point grid in batches with multimask output
 * (3 masks per point); with use_m2m, decode each of those masks once more with its own
 * low-resolution logits as mask input ({@link M2mRefinement});</li>
 * <li>filters in the reference order: predicted IoU &gt; pred_iou_thresh, stability score
 * &gt;= stability_score_thresh, binarise at 0, drop masks within 20 px of a crop edge that is
 * not an image edge;</li>
 * <li>box NMS inside the crop (score = predicted IoU), then across crops (score = 1 / crop
 * area, so smaller crops win);</li>
 * <li>optional hole/island cleanup (changed masks score 0, unchanged 1, NMS again);</li>
 * <li>masks covering at least max_area_fraction of the image are dropped (paper's data engine;
 * 1 keeps all, so that a run can match the reference, which has no such filter).</li>
 * </ol>
 * Shortcuts for speed, exact or nearly so: logits are upsampled only inside the window where
 * they can matter ({@link MaskUpsampler}, bit-identical to the full path) and only for masks
 * that pass the IoU filter; the stability score is computed on the upsampled logits as in the
 * reference, except for large masks (low-res box above 64 x 64), where it is computed on the
 * low-resolution logits (the ratio of areas barely depends on the scale there, and the full
 * window would cost most of the time).
 */
public final class AutoMaskGenerator implements PlaneSegmenter {

	/** SAM's tolerance of the crop-edge filter, in pixels. */
	static final double CROP_EDGE_TOLERANCE = 20;

	private final SamPredictor predictor;
	private final AmgParameters params;

	public AutoMaskGenerator(SamPredictor predictor, AmgParameters params) {
		this.predictor = predictor;
		this.params = params;
	}

	@Override
	public AmgParameters parameters() { return params; }

	@Override
	public String mode() { return "amg"; }

	@Override
	public SamPredictor predictor() { return predictor; }

	/** Segments everything in {@code image}, without progress or cancellation. */
	public AmgResult generate(SamImage image) throws SamException {
		return generate(image, ProgressListener.NONE, Cancellation.NEVER);
	}

	/**
	 * Segments everything in {@code image}.
	 *
	 * @throws org.fijisam.core.CancelledException when {@code cancel} asks to stop
	 */
	@Override
	public AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel)
		throws SamException
	{
		long start = System.nanoTime();
		Decoded d = decode(image, progress, cancel);
		AmgResult r = select(d, params);
		r.timings().totalNanos = System.nanoTime() - start;
		return r;
	}

	/**
	 * The expensive half of {@link #generate}: every crop encoded, every point decoded, masks
	 * that pass this generator's score thresholds upsampled and edge-filtered. The result can
	 * be {@link #select selected} with several threshold settings (tuning presets costs one
	 * decoding per image, not one per setting).
	 */
	public Decoded decode(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException {
		long start = System.nanoTime();
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		ProgressEta eta = new ProgressEta(progress);
		AmgTimings t = new AmgTimings();
		int w = image.width(), h = image.height();
		List<Candidate> all = new ArrayList<>();
		// A constant plane has no contrast: nothing to segment, and the model would only
		// hallucinate shapes from the padding.
		int cropCount = 0;
		if (!SubImages.isConstant(image)) {
			List<CropBox> crops = CropBox.layout(w, h, params.cropNLayers(), params.cropOverlapRatio());
			cropCount = crops.size();
			for (int i = 0; i < crops.size(); i++) {
				c.check();
				// Deep crop layers on a tiny image give empty crops; there is nothing in them.
				if (crops.get(i).width() <= 0 || crops.get(i).height() <= 0) continue;
				all.addAll(processCrop(image, crops.get(i), i, crops.size(), t, eta, c));
			}
		}
		eta.report(1, "done");
		t.totalNanos = System.nanoTime() - start;
		return new Decoded(w, h, params, all, cropCount, t);
	}

	/** Decoded candidates of one plane, before the threshold-dependent steps. */
	public static final class Decoded {
		final int width;
		final int height;
		final AmgParameters params;
		final List<Candidate> candidates;
		final int cropCount;
		final AmgTimings timings;

		Decoded(int width, int height, AmgParameters params, List<Candidate> candidates, int cropCount,
			AmgTimings timings)
		{
			this.width = width;
			this.height = height;
			this.params = params;
			this.candidates = candidates;
			this.cropCount = cropCount;
			this.timings = timings;
		}

		/** Masks that passed the decoding thresholds. */
		public int size() { return candidates.size(); }
	}

	/**
	 * The cheap half of {@link #generate}: score filters of {@code p}, NMS within and across
	 * crops, cleanup, maximum area. {@code p} must share the decoding's grid and crop settings
	 * and may only be stricter in pred_iou_thresh and stability_score_thresh.
	 *
	 * @throws IllegalArgumentException when {@code p} needs another decoding
	 */
	public AmgResult select(Decoded d, AmgParameters p) {
		for (String key : new String[] { "points_per_side", "multimask_output", "crop_n_layers", "crop_overlap_ratio",
			"crop_n_points_downscale_factor", "stability_score_offset", "use_m2m" })
			if (p.get(key) != d.params.get(key)) throw new IllegalArgumentException(key +
				" differs from the decoding's; decode again.");
		if (p.predIouThresh() < d.params.predIouThresh() || p.stabilityScoreThresh() < d.params
			.stabilityScoreThresh()) throw new IllegalArgumentException(
				"Thresholds below the decoding's were filtered already; decode with the lowest thresholds.");
		AmgTimings t = new AmgTimings();
		t.add(d.timings);
		long f0 = System.nanoTime();
		List<List<Candidate>> byCrop = new ArrayList<>();
		for (int i = 0; i < d.cropCount; i++)
			byCrop.add(new ArrayList<>());
		for (Candidate k : d.candidates) {
			boolean pass = (p.predIouThresh() <= 0 || k.iou > p.predIouThresh()) && (p.stabilityScoreThresh() <= 0 ||
				k.stability >= p.stabilityScoreThresh());
			if (pass) byCrop.get(k.cropIndex).add(k.copy());
		}
		List<Candidate> all = new ArrayList<>();
		for (List<Candidate> crop : byCrop)
			all.addAll(nms(crop, false, p.boxNmsThresh()));
		if (d.cropCount > 1) all = nms(all, true, p.cropNmsThresh());
		t.filterNanos += System.nanoTime() - f0;
		if (p.minMaskRegionArea() > 0) all = cleanup(all, p, d.width, d.height, t);
		// 1 = off: "at least the whole image" would otherwise drop a mask covering all of it.
		double maxArea = p.maxAreaFraction() >= 1 ? Double.POSITIVE_INFINITY : p.maxAreaFraction() * d.width *
			(double) d.height;
		List<GeneratedMask> masks = new ArrayList<>();
		for (Candidate k : all)
			if (k.mask.area() < maxArea) masks.add(k.toMask());
		t.kept = masks.size();
		t.totalNanos += System.nanoTime() - f0;
		return new AmgResult(d.width, d.height, masks, p, t);
	}

	/** A mask on its way through the filters, in image coordinates once its crop is done. */
	private static final class Candidate {
		LocalMask mask;
		final float iou;
		final float stability;
		double px, py;
		final CropBox crop;
		final int cropIndex;
		double score;

		Candidate(LocalMask mask, float iou, float stability, double px, double py, CropBox crop, int cropIndex) {
			this.mask = mask;
			this.iou = iou;
			this.stability = stability;
			this.px = px;
			this.py = py;
			this.crop = crop;
			this.cropIndex = cropIndex;
			this.score = iou;
		}

		/** Selection changes masks and scores; the decoded originals stay as they were. */
		Candidate copy() {
			return new Candidate(mask, iou, stability, px, py, crop, cropIndex);
		}

		GeneratedMask toMask() {
			return new GeneratedMask(mask, iou, stability, px, py, crop.xywh());
		}
	}

	private List<Candidate> processCrop(SamImage image, CropBox crop, int index, int cropCount, AmgTimings t,
		ProgressEta eta, Cancellation cancel) throws SamException
	{
		String where = cropCount > 1 ? "crop " + (index + 1) + "/" + cropCount + ": " : "";
		eta.report(index / (double) cropCount, where + "encoding");
		long t0 = System.nanoTime();
		SamImage cropImage = SubImages.crop(image, crop.x0, crop.y0, crop.width(), crop.height());
		ImageEmbedding embedding = predictor.embed(cropImage);
		t.encoderNanos += System.nanoTime() - t0;
		t.crops++;
		MaskUpsampler upsampler = new MaskUpsampler(predictor.spec().lowResSize(), embedding.geometry());
		int n = PointGrid.pointsForLayer(params.pointsPerSide(), params.cropNPointsDownscaleFactor(), crop.layer);
		List<Candidate> kept = new ArrayList<>();
		if (n < 1) return kept;
		double[] points = PointGrid.scaled(n, crop.width(), crop.height());
		int total = n * n, batch = params.pointsPerBatch();
		float offset = (float) params.stabilityScoreOffset();
		int lowRes = predictor.spec().lowResSize();
		boolean wholeImage = crop.x0 == 0 && crop.y0 == 0 && crop.x1 == image.width() && crop.y1 == image.height();
		for (int from = 0; from < total; from += batch) {
			cancel.check();
			eta.report((index + from / (double) total) / cropCount, where + "points " + from + "/" + total);
			int to = Math.min(total, from + batch);
			List<DecoderPrompt> prompts = new ArrayList<>(to - from);
			for (int p = from; p < to; p++)
				prompts.add(DecoderPrompt.encode(Prompt.point(points[2 * p], points[2 * p + 1]), embedding.geometry(),
					lowRes, predictor.spec().promptEncoding()));
			long d0 = System.nanoTime();
			// The decoder is called directly rather than through SamPredictor.segment: AMG needs
			// only the raw IoUs and logits, not per-candidate scores for thousands of masks.
			List<DecoderOutput> outputs = predictor.model().decoder().decode(embedding, prompts);
			t.prompts += prompts.size();
			List<FirstPass> masks = firstPass(outputs, from);
			if (params.useM2m()) {
				masks = M2mRefinement.refine(predictor, embedding, masks, points, batch);
				t.prompts += masks.size();
			}
			t.decoderNanos += System.nanoTime() - d0;
			for (FirstPass m : masks) {
				t.candidates++;
				long f0 = System.nanoTime();
				if (params.predIouThresh() > 0 && !(m.iou > params.predIouThresh())) {
					t.filterNanos += System.nanoTime() - f0;
					continue;
				}
				long u0 = System.nanoTime();
				t.filterNanos += u0 - f0;
				// Upsampling (with the stability count on the way) is postprocessing time.
				MaskUpsampler.Scored scored = upsampler.score(m.logits, offset);
				float stability = scored.stability;
				boolean pass = params.stabilityScoreThresh() <= 0 || stability >= params.stabilityScoreThresh();
				LocalMask mask = pass ? scored.hasMask ? scored.mask : upsampler.upsample(m.logits) : null;
				long f2 = System.nanoTime();
				t.postprocessNanos += f2 - u0;
				if (!pass) continue;
				boolean keep = mask != null && (wholeImage || !nearCropEdge(mask, crop, image.width(), image.height()));
				t.filterNanos += System.nanoTime() - f2;
				if (keep) kept.add(new Candidate(mask, m.iou, stability, points[2 * m.point], points[2 * m.point + 1],
					crop, index));
			}
		}
		long f0 = System.nanoTime();
		for (Candidate k : kept) {
			k.mask = k.mask.translate(crop.x0, crop.y0);
			k.px += crop.x0;
			k.py += crop.y0;
		}
		t.filterNanos += System.nanoTime() - f0;
		return kept;
	}

	/**
	 * The candidates of one batch of grid points, in the reference's order (point by point, token
	 * by token). Multimask output: with 4 outputs, tokens 1..3 (whole, part, sub-part); a model
	 * with 3 has only those; a single-output model gives its one mask. Without multimask output,
	 * a 4-output model gives its single mask (token 0), which for SAM 2 falls back to an
	 * ambiguity mask when unstable ({@link MaskTokens#singleOutput}).
	 */
	private List<FirstPass> firstPass(List<DecoderOutput> outputs, int firstPoint) {
		List<FirstPass> masks = new ArrayList<>();
		for (int p = 0; p < outputs.size(); p++) {
			DecoderOutput out = outputs.get(p);
			boolean single = !params.multimaskOutput() && out.count() == 4;
			int first = single ? MaskTokens.singleOutput(out, predictor.spec().singleMaskFallback())
				: out.count() == 4 ? 1 : 0;
			int end = single ? first + 1 : out.count();
			for (int k = first; k < end; k++)
				masks.add(new FirstPass(firstPoint + p, out.lowRes(k), out.iou(k)));
		}
		return masks;
	}

	/** One decoded mask of a grid point, before the filters: its low-res logits and IoU. */
	static final class FirstPass {
		final int point;
		final float[] logits;
		final float iou;

		FirstPass(int point, float[] logits, float iou) {
			this.point = point;
			this.logits = logits;
			this.iou = iou;
		}
	}

	/**
	 * SAM's crop-edge filter: a box (inclusive last pixel, image frame) within 20 px of a crop
	 * side that is not also an image side belongs to an object cut by the crop.
	 */
	static boolean nearCropEdge(LocalMask cropFrameMask, CropBox crop, int imageWidth, int imageHeight) {
		double[] b = cropFrameMask.samBox();
		double[] box = { b[0] + crop.x0, b[1] + crop.y0, b[2] + crop.x0, b[3] + crop.y0 };
		double[] cropBox = { crop.x0, crop.y0, crop.x1, crop.y1 };
		double[] imageBox = { 0, 0, imageWidth, imageHeight };
		for (int i = 0; i < 4; i++) {
			boolean nearCrop = Math.abs(box[i] - cropBox[i]) <= CROP_EDGE_TOLERANCE;
			boolean nearImage = Math.abs(box[i] - imageBox[i]) <= CROP_EDGE_TOLERANCE;
			if (nearCrop && !nearImage) return true;
		}
		return false;
	}

	private static List<Candidate> nms(List<Candidate> in, boolean byCropArea, double threshold) {
		double[][] boxes = new double[in.size()][];
		double[] scores = new double[in.size()];
		for (int i = 0; i < boxes.length; i++) {
			Candidate k = in.get(i);
			boxes[i] = k.mask.samBox();
			scores[i] = byCropArea ? 1.0 / k.crop.area() : k.score;
		}
		List<Candidate> out = new ArrayList<>();
		for (int i : BoxNms.keep(boxes, scores, threshold))
			out.add(in.get(i));
		return out;
	}

	private static List<Candidate> cleanup(List<Candidate> in, AmgParameters params, int w, int h, AmgTimings t) {
		long p0 = System.nanoTime();
		for (Candidate k : in) {
			MaskCleanup.Result r = MaskCleanup.clean(k.mask, params.minMaskRegionArea(), w, h);
			k.mask = r.mask;
			// SAM prefers masks the cleanup left alone when NMS has to choose.
			k.score = r.changed ? 0 : 1;
		}
		long p1 = System.nanoTime();
		t.postprocessNanos += p1 - p0;
		List<Candidate> out = nms(in, false, params.boxNmsThresh());
		t.filterNanos += System.nanoTime() - p1;
		return out;
	}
}
