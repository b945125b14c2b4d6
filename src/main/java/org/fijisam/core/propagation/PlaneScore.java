package org.fijisam.core.propagation;

/**
 * The model's scores for an object's mask on one plane. Kept instead of the mask candidate,
 * whose low-res logits (256 KB each) would make a long movie with many objects cost gigabytes.
 */
public final class PlaneScore {

	/** For a start mask that did not come from the model (drawn, or read from a file). */
	public static final PlaneScore UNKNOWN = new PlaneScore(Float.NaN, Float.NaN, -1);

	private final float predictedIou;
	private final float stability;
	private final int token;

	public PlaneScore(float predictedIou, float stability, int token) {
		this.predictedIou = predictedIou;
		this.stability = stability;
		this.token = token;
	}

	/** The model's predicted IoU, NaN when unknown. */
	public float predictedIou() { return predictedIou; }

	/** The mask's stability score, NaN when unknown. */
	public float stability() { return stability; }

	/** The decoder's mask token, -1 when unknown. */
	public int token() { return token; }
}
