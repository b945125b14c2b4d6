package org.fijisam.core.amg;

import org.fijisam.core.Bilinear.Axis;
import org.fijisam.core.ResizeGeometry;

/**
 * Low-resolution logits to a binary mask (and SAM's stability score) at crop resolution, exactly as
 * {@link org.fijisam.core.MaskPostprocessor#toMask} computes it (bilinear L -> S, keep the
 * valid newW x newH window, bilinear to W x H, logit > 0), but evaluated only where the result
 * can be positive. Bilinear values are convex combinations of their inputs, so an output pixel
 * whose low-res sources are all <= 0 stays <= 0: only the window around the positive low-res
 * pixels is computed, with the same operations in the same order (so the bits are identical).
 * This is what makes upsampling hundreds of masks per image cheap. With SAM 2's stretched
 * geometry there is one stage, bilinear L -> W x H (x and y scaled separately), as
 * MaskPostprocessor does it.
 */
final class MaskUpsampler {

	private final int lowRes;
	private final int frameW;
	private final int frameH;
	private final int outW;
	private final int outH;
	/** Stage 1 axes: L -> S (the same table for x and y, SAM 1), or L -> W and L -> H (stretched). */
	private final Axis stage1x;
	private final Axis stage1y;
	private final boolean stretched;
	/** Stage 2 (frame -> original), null when the frame already has the original size. */
	private final Axis stage2x;
	private final Axis stage2y;
	private final boolean twoStages;

	MaskUpsampler(int lowResSize, ResizeGeometry g) {
		this.lowRes = lowResSize;
		this.stretched = g.stretched();
		this.outW = g.width();
		this.outH = g.height();
		// Stretched: the "frame" is the output itself, reached in one bilinear step.
		this.frameW = stretched ? outW : g.newWidth();
		this.frameH = stretched ? outH : g.newHeight();
		this.stage1x = new Axis(lowResSize, stretched ? outW : g.inputSize());
		this.stage1y = stretched ? new Axis(lowResSize, outH) : stage1x;
		this.twoStages = !(frameW == outW && frameH == outH);
		this.stage2x = twoStages ? new Axis(frameW, outW) : null;
		this.stage2y = twoStages ? new Axis(frameH, outH) : null;
	}

	/** Low-res columns (or rows) read by output pixel o along one axis: {first, last}. */
	private static int[] lowResSpan(int o, Axis first, Axis second) {
		int f0 = second == null ? o : second.lo[o];
		int f1 = second == null ? o : second.hi[o];
		return new int[] { Math.min(first.lo[f0], first.lo[f1]), Math.max(first.hi[f0], first.hi[f1]) };
	}

	/** Output range [first, last] whose low-res sources meet [b0, b1]; null if none. */
	private static int[] outputRange(int outLen, Axis stage1, Axis second, int b0, int b1) {
		int first = -1, last = -1;
		for (int o = 0; o < outLen; o++) {
			int[] span = lowResSpan(o, stage1, second);
			if (span[1] >= b0 && span[0] <= b1) {
				if (first < 0) first = o;
				last = o;
			}
		}
		return first < 0 ? null : new int[] { first, last };
	}

	/** The thresholded mask (logit > 0) in crop coordinates, or null when empty. */
	LocalMask upsample(float[] logits) {
		Window win = window(logits, 0f);
		if (win == null) return null;
		byte[] bits = new byte[win.values.length];
		for (int i = 0; i < bits.length; i++)
			bits[i] = win.values[i] > 0 ? (byte) 1 : 0;
		return LocalMask.of(bits, win.width, win.height, win.x, win.y);
	}

	/** Largest low-res box (in low-res pixels) whose stability is computed at full resolution. */
	static final int EXACT_STABILITY_MAX_LOWRES_AREA = 64 * 64;

	/** A stability score, and the mask when it came out of the same computation. */
	static final class Scored {
		final float stability;
		/** True when {@link #mask} is the upsampled mask (possibly null = empty). */
		final boolean hasMask;
		final LocalMask mask;

		Scored(float stability, boolean hasMask, LocalMask mask) {
			this.stability = stability;
			this.hasMask = hasMask;
			this.mask = mask;
		}
	}

	/**
	 * SAM's stability score |logit > offset| / |logit > -offset| on the logits at crop
	 * resolution, as the reference computes it. Outside the window where low-res logits exceed
	 * -offset, upsampled values cannot exceed it either, so only that window is computed, and
	 * the mask comes with it. For large masks (low-res box above
	 * {@link #EXACT_STABILITY_MAX_LOWRES_AREA}) the ratio of areas is computed on the low-res
	 * logits instead: at that size the two agree closely and the full window would cost most.
	 */
	Scored score(float[] logits, float offset) {
		int[] box = lowResBox(logits, -offset);
		if (box == null) return new Scored(0f, true, null);
		long area = (long) (box[2] - box[0] + 1) * (box[3] - box[1] + 1);
		if (area > EXACT_STABILITY_MAX_LOWRES_AREA) return new Scored(stability(logits, offset), false, null);
		Window win = window(logits, -offset);
		if (win == null) return new Scored(0f, true, null);
		long inner = 0, outer = 0;
		byte[] bits = new byte[win.values.length];
		for (int i = 0; i < bits.length; i++) {
			float v = win.values[i];
			if (v > offset) inner++;
			if (v > -offset) outer++;
			bits[i] = v > 0 ? (byte) 1 : 0;
		}
		// 0 / 0 (nothing above -offset) is NaN in the reference and never passes.
		float stability = outer == 0 ? 0f : inner / (float) outer;
		return new Scored(stability, true, LocalMask.of(bits, win.width, win.height, win.x, win.y));
	}

	/** Upsampled logits over an output window, placed at (x, y) in crop coordinates. */
	private static final class Window {
		final float[] values;
		final int x, y, width, height;

		Window(float[] values, int x, int y, int width, int height) {
			this.values = values;
			this.x = x;
			this.y = y;
			this.width = width;
			this.height = height;
		}
	}

	/** {x0, y0, x1, y1} of the low-res pixels above {@code level}, or null. */
	private int[] lowResBox(float[] logits, float level) {
		int l = lowRes;
		int bx0 = l, by0 = l, bx1 = -1, by1 = -1;
		for (int yy = 0; yy < l; yy++)
			for (int xx = 0; xx < l; xx++)
				if (logits[yy * l + xx] > level) {
					if (xx < bx0) bx0 = xx;
					if (xx > bx1) bx1 = xx;
					if (yy < by0) by0 = yy;
					by1 = yy;
				}
		return bx1 < 0 ? null : new int[] { bx0, by0, bx1, by1 };
	}

	/**
	 * The upsampled logits of every output pixel that can exceed {@code level}: those whose
	 * low-res sources meet the box of low-res values above it. Same operations, same order as
	 * the full postprocessing, so the values are identical.
	 */
	private Window window(float[] logits, float level) {
		int l = lowRes;
		int[] box = lowResBox(logits, level);
		if (box == null) return null;
		int[] xr = outputRange(outW, stage1x, stage2x, box[0], box[2]);
		int[] yr = outputRange(outH, stage1y, stage2y, box[1], box[3]);
		if (xr == null || yr == null) return null;
		int ox0 = xr[0], ox1 = xr[1], oy0 = yr[0], oy1 = yr[1];
		// Frame window needed by the output window.
		int fx0 = twoStages ? stage2x.lo[ox0] : ox0, fx1 = twoStages ? stage2x.hi[ox1] : ox1;
		int fy0 = twoStages ? stage2y.lo[oy0] : oy0, fy1 = twoStages ? stage2y.hi[oy1] : oy1;
		int fw = fx1 - fx0 + 1, fh = fy1 - fy0 + 1;
		// Stage 1, horizontal pass on the low-res rows the frame rows read.
		int ly0 = stage1y.lo[fy0], ly1 = stage1y.hi[fy1];
		float[] tmp = new float[(ly1 - ly0 + 1) * fw];
		for (int yy = ly0; yy <= ly1; yy++) {
			int row = yy * l, out = (yy - ly0) * fw;
			for (int fx = fx0; fx <= fx1; fx++) {
				float a = logits[row + stage1x.lo[fx]];
				tmp[out + fx - fx0] = a + (logits[row + stage1x.hi[fx]] - a) * stage1x.frac[fx];
			}
		}
		// Stage 1, vertical pass: frame values.
		float[] frame = new float[fw * fh];
		for (int fy = fy0; fy <= fy1; fy++) {
			int r0 = (stage1y.lo[fy] - ly0) * fw, r1 = (stage1y.hi[fy] - ly0) * fw, out = (fy - fy0) * fw;
			float f = stage1y.frac[fy];
			for (int i = 0; i < fw; i++) {
				float a = tmp[r0 + i];
				frame[out + i] = a + (tmp[r1 + i] - a) * f;
			}
		}
		int ow = ox1 - ox0 + 1, oh = oy1 - oy0 + 1;
		if (!twoStages) return new Window(frame, ox0, oy0, ow, oh);
		// Stage 2, horizontal pass on every frame row of the window.
		float[] tmp2 = new float[fh * ow];
		for (int fy = 0; fy < fh; fy++) {
			int row = fy * fw, out = fy * ow;
			for (int ox = ox0; ox <= ox1; ox++) {
				float a = frame[row + stage2x.lo[ox] - fx0];
				tmp2[out + ox - ox0] = a + (frame[row + stage2x.hi[ox] - fx0] - a) * stage2x.frac[ox];
			}
		}
		// Stage 2, vertical pass.
		float[] values = new float[ow * oh];
		for (int oy = oy0; oy <= oy1; oy++) {
			int r0 = (stage2y.lo[oy] - fy0) * ow, r1 = (stage2y.hi[oy] - fy0) * ow, out = (oy - oy0) * ow;
			float f = stage2y.frac[oy];
			for (int i = 0; i < ow; i++) {
				float a = tmp2[r0 + i];
				values[out + i] = a + (tmp2[r1 + i] - a) * f;
			}
		}
		return new Window(values, ox0, oy0, ow, oh);
	}

	/**
	 * SAM's stability score approximated on the low-resolution logits, restricted to the part
	 * of the map that covers the image (padding excluded): |logit > offset| / |logit > -offset|.
	 */
	float stability(float[] logits, float offset) {
		int l = lowRes;
		int s = stage1x.lo.length;
		// Stretched: the whole map covers the image.
		int vw = stretched ? l : Math.min(l, (int) Math.ceil(frameW * (double) l / s));
		int vh = stretched ? l : Math.min(l, (int) Math.ceil(frameH * (double) l / s));
		long inner = 0, outer = 0;
		for (int yy = 0; yy < vh; yy++)
			for (int xx = 0; xx < vw; xx++) {
				float v = logits[yy * l + xx];
				if (v > offset) inner++;
				if (v > -offset) outer++;
			}
		// An empty mask has no stable extent (0 / 0): score it 0 so that it never passes.
		return outer == 0 ? 0f : inner / (float) outer;
	}
}
