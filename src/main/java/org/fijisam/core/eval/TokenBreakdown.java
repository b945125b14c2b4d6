package org.fijisam.core.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * Point-prompt IoUs per decoder output, to see what the choice among SAM's outputs costs: the
 * mean IoU of every token's mask, and the mean had the best of the ambiguity masks (tokens
 * 1..3) been chosen every time.
 */
public final class TokenBreakdown {

	private final double[] sum = new double[PromptedEvaluation.TOKENS];
	private final long[] count = new long[PromptedEvaluation.TOKENS];
	private double bestAmbiguity;
	private long objects;

	public void add(PromptedEvaluation.Result r) {
		for (int i = 0; i < r.objects(); i++) {
			double best = Double.NaN;
			for (int t = 0; t < sum.length; t++) {
				double v = r.pointByToken[i][t];
				if (Double.isNaN(v)) continue;
				sum[t] += v;
				count[t]++;
				if (t > 0 && !(v <= best)) best = v;
			}
			// A model without ambiguity masks has nothing to choose: its one mask counts.
			bestAmbiguity += Double.isNaN(best) ? r.point[i] : best;
			objects++;
		}
	}

	/** Mean IoU of each token's mask, null for a token the model lacks. */
	public Double[] meanByToken() {
		Double[] m = new Double[sum.length];
		for (int t = 0; t < m.length; t++)
			m[t] = count[t] == 0 ? null : sum[t] / count[t];
		return m;
	}

	/** Mean IoU had the best of tokens 1..3 been chosen for every object. */
	public double bestAmbiguityMean() {
		return bestAmbiguity / Math.max(1, objects);
	}

	/** One line for the evaluation's printout. */
	public String describe() {
		String[] m = new String[sum.length];
		Double[] means = meanByToken();
		for (int t = 0; t < m.length; t++)
			m[t] = means[t] == null ? "-" : String.format(Locale.ROOT, "%.4f", means[t]);
		return String.format(Locale.ROOT, "  point prompt by decoder output (token 0 = single mask): %s; best of " +
			"tokens 1-3 every time %.4f%n", Arrays.toString(m), bestAmbiguityMean());
	}
}
