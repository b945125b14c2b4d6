package org.fijisam.core.eval;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prompted-segmentation IoUs grouped by object area, so a report shows which sizes a model
 * gets wrong (small nuclei of large images are where a 256 x 256 mask output runs out of
 * resolution).
 */
public final class SizeBreakdown {

	/** Lower bounds (pixels, original image) of the area bins. */
	static final int[] BOUNDS = { 0, 100, 400, 1600 };

	private final long[] count = new long[BOUNDS.length];
	private final double[] point = new double[BOUNDS.length];
	private final double[] box = new double[BOUNDS.length];
	private final double[] iterative = new double[BOUNDS.length];

	static int bin(int area) {
		int b = 0;
		while (b + 1 < BOUNDS.length && area >= BOUNDS[b + 1])
			b++;
		return b;
	}

	public void add(PromptedEvaluation.Result r) {
		for (int i = 0; i < r.objects(); i++) {
			int b = bin(r.area[i]);
			count[b]++;
			point[b] += r.point[i];
			box[b] += r.box[i];
			iterative[b] += r.iterative[i];
		}
	}

	static String name(int b) {
		return b + 1 < BOUNDS.length ? String.format(Locale.ROOT, "%d-%d px", BOUNDS[b], BOUNDS[b + 1] - 1) : String
			.format(Locale.ROOT, ">= %d px", BOUNDS[b]);
	}

	/** Bin name -> objects, point_miou, box_miou, iterative_miou (empty bins left out). */
	public Map<String, Map<String, Object>> toMap() {
		Map<String, Map<String, Object>> out = new LinkedHashMap<>();
		for (int b = 0; b < BOUNDS.length; b++) {
			if (count[b] == 0) continue;
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("objects", count[b]);
			m.put("point_miou", round(point[b] / count[b]));
			m.put("box_miou", round(box[b] / count[b]));
			m.put("iterative_miou", round(iterative[b] / count[b]));
			out.put(name(b), m);
		}
		return out;
	}

	/** One line per non-empty bin. */
	public String describe() {
		StringBuilder sb = new StringBuilder();
		for (int b = 0; b < BOUNDS.length; b++) {
			if (count[b] == 0) continue;
			sb.append(String.format(Locale.ROOT, "  objects of %s: %d, point %.3f, box %.3f, corrected %.3f%n", name(b),
				count[b], point[b] / count[b], box[b] / count[b], iterative[b] / count[b]));
		}
		return sb.toString();
	}

	private static double round(double v) {
		return Math.round(v * 10000) / 10000.0;
	}
}
