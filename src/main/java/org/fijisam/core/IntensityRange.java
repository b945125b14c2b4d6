package org.fijisam.core;

/**
 * Measures the intensity range of one channel for a {@link Normalization}: min-max or
 * percentiles over finite values only. Percentiles come from a 65,536-bin histogram between
 * the finite min and max, which is exact for 8- and 16-bit data and fine-grained enough for
 * float data.
 */
public final class IntensityRange {

	private static final int BINS = 65536;

	private IntensityRange() {}

	/** Returns {low, high} of the finite values of {@code data}, or {0, 0} if there are none. */
	public static double[] measure(float[] data, Normalization normalization) {
		if (normalization.mode() == Normalization.Mode.FIXED)
			return new double[] { normalization.low(), normalization.high() };
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (float v : data) {
			// A NaN fails both comparisons; infinities are excluded explicitly.
			if (v < min && v != Float.NEGATIVE_INFINITY) min = v;
			if (v > max && v != Float.POSITIVE_INFINITY) max = v;
		}
		if (min > max) return new double[] { 0, 0 };
		if (normalization.mode() == Normalization.Mode.MIN_MAX || min == max)
			return new double[] { min, max };
		Histogram h = new Histogram(min, max);
		h.add(data);
		return new double[] { h.percentile(normalization.low()), h.percentile(normalization.high()) };
	}

	/** A histogram over a known finite range, so that several planes can feed one measurement. */
	public static final class Histogram {
		private final double min;
		private final double max;
		private final long[] counts = new long[BINS];
		private final double binsPerUnit;
		private long total;

		public Histogram(double min, double max) {
			this.min = min;
			this.max = max;
			this.binsPerUnit = max > min ? (BINS - 1) / (max - min) : 0;
		}

		public void add(float[] data) {
			for (float v : data) {
				if (!(v >= min && v <= max)) continue; // skips NaN and out-of-range
				counts[(int) ((v - min) * binsPerUnit)]++;
				total++;
			}
		}

		public long total() { return total; }

		/** Percentile p (0..100) with linear interpolation between bin centres. */
		public double percentile(double p) {
			if (total == 0) return min;
			double rank = p / 100.0 * (total - 1);
			long seen = 0;
			for (int b = 0; b < BINS; b++) {
				if (counts[b] == 0) continue;
				if (seen + counts[b] > rank) return binValue(b);
				seen += counts[b];
			}
			return max;
		}

		private double binValue(int bin) {
			return binsPerUnit == 0 ? min : min + bin / binsPerUnit;
		}
	}
}
