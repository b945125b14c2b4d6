package org.fijisam.core.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Segmentation accuracy of an instance label image against ground truth, the metric used by
 * micro-sam and the DSB2018 challenge: at IoU threshold t, SA = TP / (TP + FP + FN) with a
 * one-to-one matching of predicted and true objects; mSA averages t = 0.50, 0.55, ..., 0.95.
 * <p>
 * For t &gt;= 0.5 the optimal (Hungarian) matching is simply the set of pairs with IoU &gt;= t:
 * an object can overlap at most one other object with IoU above 0.5 (two such partners
 * would need more than its whole area), so the candidate pairs are already disjoint and the
 * assignment problem has a unique solution. Counting them is exact, not an approximation.
 */
public final class InstanceMatching {

	public static final double[] THRESHOLDS = { 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95 };

	private final int trueCount;
	private final int predictedCount;
	private final double[] pairIous;

	private InstanceMatching(int trueCount, int predictedCount, double[] pairIous) {
		this.trueCount = trueCount;
		this.predictedCount = predictedCount;
		this.pairIous = pairIous;
	}

	/**
	 * @param truth ground-truth labels (0 = background), row-major
	 * @param predicted predicted labels, same size
	 */
	public static InstanceMatching of(int[] truth, int[] predicted) {
		if (truth.length != predicted.length) throw new IllegalArgumentException("label images differ in size");
		Map<Integer, Integer> trueArea = new HashMap<>();
		Map<Integer, Integer> predArea = new HashMap<>();
		Map<Long, Integer> overlap = new HashMap<>();
		for (int p = 0; p < truth.length; p++) {
			int t = truth[p], q = predicted[p];
			if (t != 0) trueArea.merge(t, 1, Integer::sum);
			if (q != 0) predArea.merge(q, 1, Integer::sum);
			if (t != 0 && q != 0) overlap.merge(((long) t << 32) | (q & 0xffffffffL), 1, Integer::sum);
		}
		double[] ious = overlap.entrySet().stream().mapToDouble(e -> {
			int t = (int) (e.getKey() >>> 32), q = (int) (long) e.getKey();
			int inter = e.getValue();
			return inter / (double) (trueArea.get(t) + predArea.get(q) - inter);
		}).filter(v -> v >= 0.5).toArray();
		return new InstanceMatching(trueArea.size(), predArea.size(), ious);
	}

	public int trueCount() { return trueCount; }

	public int predictedCount() { return predictedCount; }

	public int truePositives(double threshold) {
		int tp = 0;
		for (double v : pairIous)
			if (v >= threshold) tp++;
		return tp;
	}

	/** TP / (TP + FP + FN) at one threshold (1 when both images are empty). */
	public double accuracy(double threshold) {
		if (threshold < 0.5) throw new IllegalArgumentException("matching is defined here for IoU >= 0.5");
		int tp = truePositives(threshold);
		int denominator = trueCount + predictedCount - tp;
		return denominator == 0 ? 1 : tp / (double) denominator;
	}

	/** Mean accuracy over 0.50..0.95. */
	public double meanAccuracy() {
		double sum = 0;
		for (double t : THRESHOLDS)
			sum += accuracy(t);
		return sum / THRESHOLDS.length;
	}
}
