package org.fijisam.fake;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.MaskTokens;

/**
 * The "known" fixture decoder's formulas (src/test/resources/fixtures/README.md, "Decoder
 * formulas") in float32, for one prompt. Distances are in low-res pixels.
 */
final class KnownDecoder {

	private static final float[] IOU = { 0.90f, 0.60f, 0.95f, 0.70f };
	private static final float[] RADIUS = { 8, 12, 8, 4 };
	private static final float NOTHING = -100f;

	private final int l;
	private final float scale;
	private final int outputs;

	/**
	 * @param scale model-frame pixels per low-res pixel (4 for the fixture)
	 * @param outputs 4, 3 or 1: which of the four tokens are returned ({@link MaskTokens})
	 */
	KnownDecoder(int lowRes, float scale, int outputs) {
		this.l = lowRes;
		this.scale = scale;
		this.outputs = outputs;
	}

	DecoderOutput decode(DecoderPrompt p) {
		float[] c = p.coords(), labels = p.labels();
		int n = labels.length;
		boolean hasPad = false;
		int fg = -1, tl = -1, br = -1;
		for (int i = 0; i < n; i++) {
			if (labels[i] == -1) hasPad = true;
			if (labels[i] == 1 && fg < 0) fg = i;
			if (labels[i] == 2 && tl < 0) tl = i;
			if (labels[i] == 3 && br < 0) br = i;
		}
		boolean hasBox = tl >= 0 && br >= 0;
		boolean valid = hasPad ^ hasBox;
		float ax = 0, ay = 0;
		boolean anchor = true;
		if (fg >= 0) {
			ax = c[2 * fg];
			ay = c[2 * fg + 1];
		}
		else if (hasBox) {
			ax = (c[2 * tl] + c[2 * br]) / 2;
			ay = (c[2 * tl + 1] + c[2 * br + 1]) / 2;
		}
		else anchor = false;
		float[][] logits = new float[4][l * l];
		for (int i = 0; i < l; i++)
			for (int j = 0; j < l; j++) {
				float x = (j + 0.5f) * scale, y = (i + 0.5f) * scale;
				for (int t = 0; t < 4; t++) {
					float v;
					if (!valid || !anchor) v = NOTHING;
					else if (t == 0 && hasBox) v = Math.min(Math.min(x - c[2 * tl], c[2 * br] - x), Math.min(y -
						c[2 * tl + 1], c[2 * br + 1] - y)) / scale;
					else v = RADIUS[t] - dist(x, y, ax, ay);
					if (valid && anchor)
						for (int q = 0; q < n; q++)
							if (labels[q] == 0) v = Math.min(v, dist(x, y, c[2 * q], c[2 * q + 1]) - 3);
					logits[t][i * l + j] = v;
				}
			}
		if (valid && p.hasMask()) logits[0] = p.maskInput().clone();
		float[] iou = new float[outputs];
		float[][] kept = new float[outputs][];
		for (int k = 0; k < outputs; k++) {
			int token = MaskTokens.token(outputs, k);
			iou[k] = valid ? IOU[token] : 0f;
			kept[k] = logits[token];
		}
		return new DecoderOutput(iou, kept);
	}

	private float dist(float x, float y, float px, float py) {
		float dx = x - px, dy = y - py;
		return (float) Math.sqrt(dx * dx + dy * dy) / scale;
	}
}
