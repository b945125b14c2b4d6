package org.fijisam.core;

/** Raw decoder output for one prompt: K predicted IoUs and K low-res logit maps. */
public final class DecoderOutput {

	private final float[] iou;
	private final float[][] lowRes;

	public DecoderOutput(float[] iou, float[][] lowRes) {
		this.iou = iou;
		this.lowRes = lowRes;
	}

	public int count() { return iou.length; }

	public float iou(int k) { return iou[k]; }

	/** Logits of output k, L * L row-major. */
	public float[] lowRes(int k) { return lowRes[k]; }
}
