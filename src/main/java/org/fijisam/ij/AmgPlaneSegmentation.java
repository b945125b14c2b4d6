package org.fijisam.ij;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import ij.ImagePlus;

import org.fijisam.options.AutomaticSettings;
import org.fijisam.core.BinaryMask;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.Cancellation;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.PlaneSegmenter;
import org.fijisam.core.amg.LabelImage;
import org.fijisam.core.amg.MemoryEstimate;
import org.fijisam.core.amg.ObjectStats;
import org.fijisam.core.amg.StackNormalization;
import org.fijisam.core.amg.TiledAutoSegmenter;
import org.fijisam.core.amg.Tiling;

/**
 * Automatic segmentation for the ImageJ commands that show results (Segment Everything): one plane
 * through core AMG (tiled when large), objects as in the label image (small masks on top,
 * split pieces separate, minimum size applied). Planes of a stack share one intensity range,
 * measured over the whole stack the first time one of its planes is segmented.
 */
public final class AmgPlaneSegmentation {

	private final AmgParameters params;
	private final Tiling tiling;
	private final Normalization normalization;
	private final ChannelMapping channels;
	/** The user's options when made from them: they choose the mode (amg or ais) per model. */
	private AutomaticSettings settings;
	/** Stack-wide ranges per image, for this run only (no state shared between runs). */
	private final Map<ImagePlus, Normalization> stackRanges = new WeakHashMap<>();

	public AmgPlaneSegmentation(AmgParameters params, Tiling tiling) {
		this(params, tiling, Normalization.auto(), null);
	}

	/** @param channels channels feeding R, G, B; null for the image's own */
	public AmgPlaneSegmentation(AmgParameters params, Tiling tiling, Normalization normalization,
		ChannelMapping channels)
	{
		this.params = params;
		this.tiling = tiling;
		this.normalization = normalization;
		this.channels = channels;
	}

	/** The implementation for a user's options, the preset "auto" being the model's recommended one. */
	public static AmgPlaneSegmentation of(AutomaticSettings s, ModelSpec model) {
		AmgPlaneSegmentation a = new AmgPlaneSegmentation(s.parameters(model), s.tiling(), s
			.normalization(), s.channels());
		a.settings = s;
		return a;
	}

	public AmgParameters parameters() { return params; }

	/** Masks of every object found on one plane (1-based z and t). */
	public List<ObjectResult> segmentPlane(SamPredictor predictor, ImagePlus imp, int slice, int frame,
		ProgressListener progress) throws SamException
	{
		Normalization asked = normalization.forModel(predictor.spec());
		Normalization n = imp.getNSlices() * imp.getNFrames() > 1 ? stackRange(imp, asked) : asked;
		SamImage image = ImagePlusAdapter.toSamImage(imp, slice, frame, channels, n);
		PlaneSegmenter segmenter = settings != null ? settings.segmenter(predictor) : new AutoMaskGenerator(predictor,
			params);
		AmgResult r = new TiledAutoSegmenter(segmenter, tiling).generate(image, progress, Cancellation.NEVER);
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
			n = StackNormalization.measure(new ImagePlusSlices(imp, channels), auto, null);
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
