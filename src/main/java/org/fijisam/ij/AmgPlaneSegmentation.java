package org.fijisam.ij;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import ij.ImagePlus;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Cancellation;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.LabelImage;
import org.fijisam.core.amg.MemoryEstimate;
import org.fijisam.core.amg.ObjectStats;
import org.fijisam.core.amg.StackNormalization;
import org.fijisam.core.amg.TiledAutoSegmenter;
import org.fijisam.core.amg.Tiling;

/**
 * The automatic-segmentation implementation behind {@link AutomaticSegmentation}: one plane
 * through core AMG (tiled when large), objects as in the label image (small masks on top,
 * split pieces separate, minimum size applied). Planes of a stack share one intensity range,
 * measured over the whole stack the first time one of its planes is segmented.
 */
public final class AmgPlaneSegmentation implements AutomaticSegmentation {

	private final AmgParameters params;
	private final Tiling tiling;
	/** Stack-wide ranges per image, for this run only (no state shared between runs). */
	private final Map<ImagePlus, Normalization> stackRanges = new WeakHashMap<>();

	public AmgPlaneSegmentation(AmgParameters params, Tiling tiling) {
		this.params = params;
		this.tiling = tiling;
	}

	/** The implementation for a user's choice (preset + refinements), tiling automatic. */
	public static AmgPlaneSegmentation of(AutomaticParameters p) {
		return new AmgPlaneSegmentation(parameters(p), Tiling.auto());
	}

	/** Preset "default" is SAM's settings, "microscopy" the microscopy preset; set fields refine it. */
	public static AmgParameters parameters(AutomaticParameters p) {
		AmgParameters a = AmgPresets.get("default".equals(p.preset) ? AmgPresets.SAM_DEFAULT : p.preset);
		if (p.pointsPerSide > 0) a = a.withPointsPerSide(p.pointsPerSide);
		if (!Double.isNaN(p.predIouThresh)) a = a.withPredIouThresh(p.predIouThresh);
		if (!Double.isNaN(p.stabilityThresh)) a = a.withStabilityScoreThresh(p.stabilityThresh);
		if (p.minSize >= 0) a = a.withMinObjectSize(p.minSize);
		return a;
	}

	public AmgParameters parameters() { return params; }

	@Override
	public List<ObjectResult> segmentPlane(SamPredictor predictor, ImagePlus imp, int slice, int frame,
		ProgressListener progress) throws SamException
	{
		Normalization auto = Normalization.auto().forModel(predictor.spec());
		Normalization n = imp.getNSlices() * imp.getNFrames() > 1 ? stackRange(imp, auto) : auto;
		SamImage image = ImagePlusAdapter.toSamImage(imp, slice, frame, null, n);
		AmgResult r = new TiledAutoSegmenter(new AutoMaskGenerator(predictor, params), tiling).generate(image, progress,
			Cancellation.NEVER);
		LabelImage labels = r.labels();
		// ObjectResult holds one full-plane mask per object: refuse before it runs out of memory.
		long needed = (long) labels.count() * labels.width() * labels.height();
		MemoryEstimate.check(needed, MemoryEstimate.availableFor(needed), labels.count() + " objects as separate masks on a " +
			labels.width() + "x" + labels.height() + " plane", true);
		return objects(labels, slice, frame);
	}

	private synchronized Normalization stackRange(ImagePlus imp, Normalization auto) throws SamException {
		Normalization n = stackRanges.get(imp);
		if (n == null) {
			n = StackNormalization.measure(new ImagePlusSlices(imp, null), auto, null);
			stackRanges.put(imp, n);
		}
		return n;
	}

	/** One full-plane mask per labelled object, in label order. */
	static List<ObjectResult> objects(LabelImage labels, int slice, int frame) {
		int w = labels.width(), h = labels.height();
		int[] px = labels.labels();
		List<ObjectResult> out = new ArrayList<>();
		for (ObjectStats o : labels.objects()) {
			byte[] bits = new byte[w * h];
			for (int y = o.bboxY; y < o.bboxY + o.bboxHeight; y++)
				for (int x = o.bboxX; x < o.bboxX + o.bboxWidth; x++)
					if (px[y * w + x] == o.label) bits[y * w + x] = 1;
			out.add(new ObjectResult("auto " + o.label, slice, frame, null, new BinaryMask(w, h, bits)));
		}
		return out;
	}
}
