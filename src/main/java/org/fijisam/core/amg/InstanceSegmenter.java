package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InstanceMaps;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.ais.AisParameters;
import org.fijisam.core.ais.SeededWatershed;

/**
 * Automatic instance segmentation ("ais", as micro-sam): one encoder run and one instance
 * decoder run per plane, then a seeded watershed on the decoder's maps. No prompts are decoded,
 * so its time does not grow with the number of objects. Each object's score is its mean
 * foreground probability.
 */
public final class InstanceSegmenter implements PlaneSegmenter {

	private final SamPredictor predictor;
	private final AmgParameters params;
	private final AisParameters ais;

	/** @param params only the label image's minimum object size applies (and is reported) */
	public InstanceSegmenter(SamPredictor predictor, AmgParameters params, AisParameters ais) {
		this.predictor = predictor;
		this.params = params;
		this.ais = ais;
	}

	@Override
	public AmgParameters parameters() { return params; }

	public AisParameters aisParameters() { return ais; }

	@Override
	public SamPredictor predictor() { return predictor; }

	@Override
	public String mode() { return "ais"; }

	@Override
	public AmgResult generate(SamImage image, ProgressListener progress, Cancellation cancel) throws SamException {
		ProgressListener p = progress == null ? ProgressListener.NONE : progress;
		long t0 = System.nanoTime();
		p.progress(0, "encoding");
		ImageEmbedding e = predictor.embed(image);
		long t1 = System.nanoTime();
		if (cancel != null) cancel.check();
		p.progress(0.6, "instance decoder");
		List<GeneratedMask> masks = objects(e, image);
		long t2 = System.nanoTime();
		AmgTimings t = new AmgTimings();
		t.encoderNanos = t1 - t0;
		t.decoderNanos = t2 - t1;
		t.postprocessNanos = System.nanoTime() - t2;
		t.totalNanos = System.nanoTime() - t0;
		t.crops = 1;
		t.candidates = masks.size();
		t.kept = masks.size();
		p.progress(1, "done");
		return new AmgResult(image.width(), image.height(), masks, params, t);
	}

	/**
	 * The objects of a plane whose embedding is at hand: the instance decoder's maps through the
	 * watershed (no minimum size applied yet).
	 */
	List<GeneratedMask> objects(ImageEmbedding e, SamImage image) throws SamException {
		InstanceMaps maps = predictor.instanceMaps(e, image);
		return masks(SeededWatershed.segment(maps, ais), maps, image.width(), image.height());
	}

	/** One mask per watershed label, cropped to its box, scored by its mean foreground probability. */
	static List<GeneratedMask> masks(int[] labels, InstanceMaps maps, int w, int h) {
		int n = 0;
		for (int v : labels)
			n = Math.max(n, v);
		int[] x0 = new int[n + 1], y0 = new int[n + 1], x1 = new int[n + 1], y1 = new int[n + 1];
		double[] fgSum = new double[n + 1];
		int[] area = new int[n + 1], centre = new int[n + 1];
		float[] best = new float[n + 1];
		java.util.Arrays.fill(x0, Integer.MAX_VALUE);
		java.util.Arrays.fill(y0, Integer.MAX_VALUE);
		java.util.Arrays.fill(best, Float.MAX_VALUE);
		float[] fg = maps.foreground(), cd = maps.centerDistance();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int i = y * w + x, l = labels[i];
				if (l == 0) continue;
				x0[l] = Math.min(x0[l], x);
				y0[l] = Math.min(y0[l], y);
				x1[l] = Math.max(x1[l], x);
				y1[l] = Math.max(y1[l], y);
				fgSum[l] += fg[i];
				area[l]++;
				if (cd[i] < best[l]) {
					best[l] = cd[i];
					centre[l] = i;
				}
			}
		List<GeneratedMask> out = new ArrayList<>(n);
		int[] whole = { 0, 0, w, h };
		for (int l = 1; l <= n; l++) {
			if (area[l] == 0) continue;
			int bw = x1[l] - x0[l] + 1, bh = y1[l] - y0[l] + 1;
			byte[] bits = new byte[bw * bh];
			for (int y = 0; y < bh; y++)
				for (int x = 0; x < bw; x++)
					if (labels[(y0[l] + y) * w + x0[l] + x] == l) bits[y * bw + x] = 1;
			float score = (float) (fgSum[l] / area[l]);
			out.add(new GeneratedMask(LocalMask.of(bits, bw, bh, x0[l], y0[l]), score, 1f, centre[l] % w, centre[l] / w,
				whole));
		}
		return out;
	}
}
