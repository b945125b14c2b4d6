package org.fijisam.core;

/** One decoder output for a prompt: which token, its scores and its low-res logits. */
public final class MaskCandidate {

	/** SAM's default stability offset on logits. */
	public static final float STABILITY_OFFSET = 1f;

	private final int token;
	private final float predictedIou;
	private final float stability;
	private final LowResMask lowRes;
	private final int lowResArea;

	MaskCandidate(int token, float predictedIou, LowResMask lowRes, ResizeGeometry g) {
		this.token = token;
		this.predictedIou = predictedIou;
		this.lowRes = lowRes;
		this.stability = MaskPostprocessor.stabilityScore(lowRes.logits(), 0f, STABILITY_OFFSET);
		this.lowResArea = validArea(lowRes, g);
	}

	/** Decoder token: 0 = single-mask output, 1..3 = whole, part, sub-part. */
	public int token() { return token; }

	public float predictedIou() { return predictedIou; }

	/** Stability score computed on the low-resolution logits. */
	public float stability() { return stability; }

	public LowResMask lowRes() { return lowRes; }

	/** Positive low-res pixels inside the valid (unpadded) region: a cheap size ranking. */
	public int lowResArea() { return lowResArea; }

	private static int validArea(LowResMask m, ResizeGeometry g) {
		int l = m.size();
		int w = (int) Math.ceil(g.newWidth() * (double) l / g.inputSize());
		int h = (int) Math.ceil(g.newHeight() * (double) l / g.inputSize());
		float[] v = m.logits();
		int n = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (v[y * l + x] > 0) n++;
		return n;
	}
}
