package org.fijisam.core;

import java.util.Locale;

/**
 * How raw intensities are stretched to SAM's 0..255 input range.
 * <ul>
 * <li>{@link #auto()}: min-max for 8-bit and RGB data, percentile 1..99.8 % otherwise
 * (hot pixels in 16/32-bit data would squash a min-max stretch);</li>
 * <li>{@link #minMax()}, {@link #percentile(double, double)};</li>
 * <li>{@link #fixed(double, double)}: a caller-given range, so that every slice of a stack
 * gets the same contrast.</li>
 * </ul>
 * Non-finite pixels (NaN, infinities) never reach the model: they are ignored when measuring
 * the range and mapped to 0.
 */
public final class Normalization {

	public enum Mode { AUTO, MIN_MAX, PERCENTILE, FIXED }

	public static final double DEFAULT_LOW_PERCENTILE = 1.0;
	public static final double DEFAULT_HIGH_PERCENTILE = 99.8;

	private final Mode mode;
	private final double low;
	private final double high;

	private Normalization(Mode mode, double low, double high) {
		this.mode = mode;
		this.low = low;
		this.high = high;
	}

	public static Normalization auto() {
		return new Normalization(Mode.AUTO, DEFAULT_LOW_PERCENTILE, DEFAULT_HIGH_PERCENTILE);
	}

	public static Normalization minMax() {
		return new Normalization(Mode.MIN_MAX, 0, 100);
	}

	public static Normalization percentile(double lowPercent, double highPercent) {
		if (!(lowPercent >= 0 && highPercent <= 100 && lowPercent < highPercent))
			throw new IllegalArgumentException("Percentiles must satisfy 0 <= low < high <= 100, got " +
				lowPercent + " and " + highPercent + ".");
		return new Normalization(Mode.PERCENTILE, lowPercent, highPercent);
	}

	/** A fixed intensity range [min, max] mapped to 0..255 for every channel. */
	public static Normalization fixed(double min, double max) {
		if (!(Double.isFinite(min) && Double.isFinite(max) && min < max))
			throw new IllegalArgumentException("A fixed range needs finite min < max, got " + min +
				" and " + max + ".");
		return new Normalization(Mode.FIXED, min, max);
	}

	/**
	 * Parses "auto", "minmax", "percentile", "percentile:1,99.8" or "fixed:MIN,MAX" (the
	 * syntax used by the CLI and macros).
	 */
	public static Normalization parse(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		String args = t.contains(":") ? t.substring(t.indexOf(':') + 1) : "";
		String name = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
		try {
			switch (name) {
				case "auto": return auto();
				case "minmax": case "min-max": case "min_max": return minMax();
				case "percentile":
					if (args.isEmpty()) return percentile(DEFAULT_LOW_PERCENTILE, DEFAULT_HIGH_PERCENTILE);
					String[] p = args.split(",");
					return percentile(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
				case "fixed":
					String[] f = args.split(",");
					return fixed(Double.parseDouble(f[0]), Double.parseDouble(f[1]));
				default:
			}
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("Cannot read normalisation '" + text +
				"': use auto, minmax, percentile:LOW,HIGH or fixed:MIN,MAX.", e);
		}
		throw new IllegalArgumentException("Unknown normalisation '" + text +
			"': use auto, minmax, percentile:LOW,HIGH or fixed:MIN,MAX.");
	}

	public Mode mode() { return mode; }

	/** Low percentile, or the fixed minimum. */
	public double low() { return low; }

	/** High percentile, or the fixed maximum. */
	public double high() { return high; }

	/** The concrete mode for data of the given kind (resolves AUTO). */
	public Normalization resolve(boolean eightBitOrRgb) {
		if (mode != Mode.AUTO) return this;
		return eightBitOrRgb ? minMax() : percentile(low, high);
	}

	@Override
	public String toString() {
		switch (mode) {
			case AUTO: return "auto";
			case MIN_MAX: return "minmax";
			case PERCENTILE: return String.format(Locale.ROOT, "percentile:%s,%s", trim(low), trim(high));
			default: return String.format(Locale.ROOT, "fixed:%s,%s", trim(low), trim(high));
		}
	}

	private static String trim(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof Normalization)) return false;
		Normalization n = (Normalization) o;
		return n.mode == mode && n.low == low && n.high == high;
	}

	@Override
	public int hashCode() {
		return mode.hashCode() * 31 + Double.hashCode(low) * 17 + Double.hashCode(high);
	}
}
