package org.fijisam.core.propagation;

/**
 * When a mask found on a new plane is still the same object: otherwise propagation stops in
 * that direction. Predicted IoU and stability are the model's own confidence; overlap (IoU of
 * the new mask with the previous plane's) catches the prompt landing on another object, which
 * the model may segment with full confidence.
 */
public final class PropagationRules {

	private final double minPredictedIou;
	private final double minStability;
	private final double minOverlap;
	private final int maxPlanes;

	private PropagationRules(Builder b) {
		this.minPredictedIou = b.minPredictedIou;
		this.minStability = b.minStability;
		this.minOverlap = b.minOverlap;
		this.maxPlanes = b.maxPlanes;
	}

	/** Predicted IoU 0.7, stability 0.8, overlap 0.5, no limit on planes. */
	public static PropagationRules defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	public double minPredictedIou() { return minPredictedIou; }

	public double minStability() { return minStability; }

	public double minOverlap() { return minOverlap; }

	/** The most planes visited each way from the start plane. */
	public int maxPlanes() { return maxPlanes; }

	@Override
	public String toString() {
		return "predicted IoU >= " + minPredictedIou + ", stability >= " + minStability + ", overlap >= " +
			minOverlap + (maxPlanes == Integer.MAX_VALUE ? "" : ", at most " + maxPlanes + " planes each way");
	}

	/** Starts from {@link PropagationRules#defaults()}. */
	public static final class Builder {
		// SAM's automatic generator keeps masks at predicted IoU 0.88 and stability 0.95; a
		// prompt carried over from the neighbour is stronger evidence, so the bars are lower.
		private double minPredictedIou = 0.7;
		private double minStability = 0.8;
		private double minOverlap = 0.5;
		private int maxPlanes = Integer.MAX_VALUE;

		public Builder minPredictedIou(double v) {
			this.minPredictedIou = fraction("minimum predicted IoU", v);
			return this;
		}

		public Builder minStability(double v) {
			this.minStability = fraction("minimum stability", v);
			return this;
		}

		public Builder minOverlap(double v) {
			this.minOverlap = fraction("minimum overlap", v);
			return this;
		}

		public Builder maxPlanes(int n) {
			if (n < 0) throw new IllegalArgumentException("The maximum number of planes each way must be 0 or more, not " +
				n + ".");
			this.maxPlanes = n;
			return this;
		}

		public PropagationRules build() {
			return new PropagationRules(this);
		}

		private static double fraction(String what, double v) {
			if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("The " + what + " must be between 0 and 1, not " +
				v + ".");
			return v;
		}
	}
}
