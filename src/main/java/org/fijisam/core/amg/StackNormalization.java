package org.fijisam.core.amg;

import org.fijisam.core.CancelledException;
import org.fijisam.core.Cancellation;
import org.fijisam.core.IntensityRange;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;

/**
 * One intensity range for a whole stack, so that every slice gets the same contrast: the
 * requested normalisation (min-max or percentiles) is measured over all slices, streaming
 * them (two passes for percentiles: min/max, then a shared histogram), and returned as a
 * {@link Normalization#fixed} range.
 */
public final class StackNormalization {

	private StackNormalization() {}

	public static Normalization measure(SliceSource source, Normalization requested, Cancellation cancel)
		throws SamException
	{
		Normalization n = requested.resolve(source.eightBitOrRgb());
		if (n.mode() == Normalization.Mode.FIXED) return n;
		Cancellation c = cancel == null ? Cancellation.NEVER : cancel;
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < source.size(); i++) {
			c.check();
			double[] r = IntensityRange.measure(source.intensities(i), Normalization.minMax());
			if (r[0] == 0 && r[1] == 0 && !hasFinite(source, i)) continue;
			min = Math.min(min, r[0]);
			max = Math.max(max, r[1]);
		}
		if (!(min < max)) {
			// No contrast anywhere: any range maps the stack to one grey level.
			double base = Double.isFinite(min) ? min : 0;
			return Normalization.fixed(base, base + 1);
		}
		if (n.mode() == Normalization.Mode.MIN_MAX) return Normalization.fixed(min, max);
		IntensityRange.Histogram h = new IntensityRange.Histogram(min, max);
		for (int i = 0; i < source.size(); i++) {
			if (c.isCancelled()) throw new CancelledException();
			h.add(source.intensities(i));
		}
		double lo = h.percentile(n.low()), hi = h.percentile(n.high());
		return hi > lo ? Normalization.fixed(lo, hi) : Normalization.fixed(min, max);
	}

	private static boolean hasFinite(SliceSource s, int i) throws SamException {
		for (float v : s.intensities(i))
			if (Float.isFinite(v)) return true;
		return false;
	}
}
