package org.fijisam.core.ais;

import java.util.Locale;

/**
 * How the watershed reads an instance decoder's maps (micro-sam's defaults): a pixel is
 * foreground above {@code foregroundThreshold}; seeds are the foreground pixels whose centre
 * distance and boundary distance are both below their thresholds (the core of each object).
 */
public final class AisParameters implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	/** More seeds than this on one plane is noise, not objects: stopped with a message, bounded memory. */
	public static final int MAX_SEEDS = 100_000;

	private final double foregroundThreshold;
	private final double centerDistanceThreshold;
	private final double boundaryDistanceThreshold;

	public AisParameters(double foregroundThreshold, double centerDistanceThreshold, double boundaryDistanceThreshold) {
		check("foreground_threshold", foregroundThreshold);
		check("center_distance_threshold", centerDistanceThreshold);
		check("boundary_distance_threshold", boundaryDistanceThreshold);
		this.foregroundThreshold = foregroundThreshold;
		this.centerDistanceThreshold = centerDistanceThreshold;
		this.boundaryDistanceThreshold = boundaryDistanceThreshold;
	}

	public static AisParameters defaults() {
		return new AisParameters(0.5, 0.5, 0.5);
	}

	private static void check(String key, double v) {
		if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("Parameter " + key + " must be between 0 and 1, " +
			"got " + v + ".");
	}

	public double foregroundThreshold() { return foregroundThreshold; }

	public double centerDistanceThreshold() { return centerDistanceThreshold; }

	public double boundaryDistanceThreshold() { return boundaryDistanceThreshold; }

	@Override
	public boolean equals(Object o) {
		return o instanceof AisParameters && toString().equals(o.toString());
	}

	@Override
	public int hashCode() {
		return toString().hashCode();
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "foreground_threshold=%s, center_distance_threshold=%s, " +
			"boundary_distance_threshold=%s", foregroundThreshold, centerDistanceThreshold, boundaryDistanceThreshold);
	}
}
