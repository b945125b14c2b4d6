package org.fijisam.core;

import java.util.Locale;

/**
 * How raw intensities are stretched to SAM's 0..255 input range.
 * <ul>
 * <li>{@link #auto()}: what the model expects ({@link #forModel}): 8-bit and RGB data as they are
 * (SAM 1's default) or min-max stretched (our built-in model), percentile 1..99.8 % otherwise
 * (hot pixels in 16/32-bit data would squash a min-max stretch). Not resolved against a model,
 * 8-bit data are min-max stretched;</li>
 * <li>{@link #minMax()}, {@link #percentile(double, double)};</li>
 * <li>{@link #fixed(double, double)}: a caller-given range, so that every slice of a stack
 * gets the same contrast.</li>
 * </ul>
 * Non-finite pixels (NaN, infinities) never reach the model: they are ignored when measuring
 * the range and mapped to 0.
 */
public final class Normalization implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	public enum Mode { AUTO, MIN_MAX, PERCENTILE, FIXED }

	public static final double DEFAULT_LOW_PERCENTILE = 1.0;
	public static final double DEFAULT_HIGH_PERCENTILE = 99.8;

	private final Mode mode;
	private final double low;
	private final double high;
	/** AUTO only: 8-bit and RGB data go to the model unchanged instead of min-max stretched. */
	private final boolean eightBitAsIs;

	private Normalization(Mode mode, double low, double high) {
		this(mode, low, high, false);
	}

	private Normalization(Mode mode, double low, double high, boolean eightBitAsIs) {
		this.mode = mode;
		this.low = low;
		this.high = high;
		this.eightBitAsIs = eightBitAsIs;
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

	/**
	 * This normalisation with "auto" made to mean what the model expects (its descriptor's
	 * preprocessing); an explicit choice is the user's and stays as it is.
	 */
	public Normalization forModel(ModelSpec spec) {
		if (mode != Mode.AUTO) return this;
		return new Normalization(Mode.AUTO, low, high, spec.preprocessing().intensity() == Preprocessing.Intensity.AS_IS);
	}

	/** The concrete mode for data of the given kind (resolves AUTO). */
	public Normalization resolve(boolean eightBitOrRgb) {
		if (mode != Mode.AUTO) return this;
		if (!eightBitOrRgb) return percentile(low, high);
		// 0..255 mapped onto itself: the values reach the model unchanged.
		return eightBitAsIs ? fixed(0, 255) : minMax();
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
		return n.mode == mode && n.low == low && n.high == high && n.eightBitAsIs == eightBitAsIs;
	}

	@Override
	public int hashCode() {
		return mode.hashCode() * 31 + Double.hashCode(low) * 17 + Double.hashCode(high);
	}
}
