package org.fijisam.core;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Model input preprocessing: resize the longer side to the model input size (SAM 1) or stretch
 * both sides to it (SAM 2, {@link Preprocessing.Fit}), normalise each channel with the model's
 * mean and std, zero-pad bottom and right where the image does not fill the input, NCHW
 * float32. The resize is the model's ({@link Preprocessing.Resize}): the official SAM 1
 * pipeline rounds the image to 8 bits and resizes it with Pillow's antialiased filter; our
 * built-in model was trained on a float bilinear resize; SAM 2 resizes 0..1 floats with an
 * antialiased filter.
 */
public final class Preprocessor {

	private final ModelSpec spec;

	public Preprocessor(ModelSpec spec) {
		this.spec = spec;
	}

	public ResizeGeometry geometry(SamImage image) {
		if (spec.preprocessing().fit() == Preprocessing.Fit.STRETCH)
			return ResizeGeometry.stretch(image.width(), image.height(), spec.inputSize());
		return new ResizeGeometry(image.width(), image.height(), spec.inputSize());
	}

	/** Writes the [1, 3, S, S] model input into {@code out} (capacity 3*S*S, position 0). */
	public void preprocess(SamImage image, FloatBuffer out) {
		ResizeGeometry g = geometry(image);
		int s = spec.inputSize();
		float[] mean = spec.pixelMean(), std = spec.pixelStd();
		Preprocessing.Resize resize = spec.preprocessing().resize();
		boolean pil = resize == Preprocessing.Resize.PIL;
		boolean unitScale = resize == Preprocessing.Resize.ANTIALIASED;
		float[] row = new float[s];
		for (int c = 0; c < 3; c++) {
			float[] resized = pil ? null : unitScale ? unitScaleResize(image.channel(c), image.width(), image.height(),
				g.newWidth(), g.newHeight()) : Bilinear.resize(image.channel(c), image.width(), image.height(),
				g.newWidth(), g.newHeight());
			byte[] resized8 = pil ? PilResize.resize(toUint8(image.channel(c)), image.width(), image.height(),
				g.newWidth(), g.newHeight()) : null;
			float[] lut = pil ? normalised(mean[c], std[c]) : null;
			float m = mean[c], inv = 1f / std[c];
			// torchvision normalises 0..1 data with mean/255 and std/255, dividing (not multiplying).
			float unitMean = mean[c] / 255f, unitStd = std[c] / 255f;
			int base = c * s * s;
			for (int y = 0; y < s; y++) {
				// Padding is applied after normalisation, so padded pixels are exactly 0.
				Arrays.fill(row, 0f);
				if (y < g.newHeight()) {
					int off = y * g.newWidth();
					if (pil) {
						for (int x = 0; x < g.newWidth(); x++)
							row[x] = lut[resized8[off + x] & 0xff];
					}
					else if (unitScale) {
						for (int x = 0; x < g.newWidth(); x++)
							row[x] = (resized[off + x] - unitMean) / unitStd;
					}
					else {
						for (int x = 0; x < g.newWidth(); x++)
							row[x] = (resized[off + x] - m) * inv;
					}
				}
				out.position(base + y * s);
				out.put(row);
			}
		}
		out.rewind();
	}

	/** Convenience: a fresh array holding the model input. */
	public float[] preprocess(SamImage image) {
		int s = spec.inputSize();
		float[] data = new float[3 * s * s];
		preprocess(image, FloatBuffer.wrap(data));
		return data;
	}

	/**
	 * SAM 2's resize: the 0..255 channel on the 0..1 scale (torchvision's ToTensor divides by
	 * 255; 16- and 32-bit data were stretched to 0..255 by the normalisation, so they arrive on
	 * 0..1 the same way), then the antialiased float resize, no rounding.
	 */
	static float[] unitScaleResize(float[] channel, int w, int h, int dstW, int dstH) {
		float[] unit = new float[channel.length];
		for (int i = 0; i < unit.length; i++)
			unit[i] = channel[i] / 255f;
		return AntialiasedResize.resize(unit, w, h, dstW, dstH);
	}

	/**
	 * One channel as the 8-bit image the official pipeline starts from: 8-bit data are already
	 * whole numbers; stretched 16/32-bit data are rounded to the nearest grey level.
	 */
	static byte[] toUint8(float[] channel) {
		byte[] out = new byte[channel.length];
		for (int i = 0; i < out.length; i++) {
			float v = channel[i];
			// NaN fails both tests and becomes 0, as everywhere in the pipeline.
			int q = v > 0 ? (v < 255f ? Math.round(v) : 255) : 0;
			out[i] = (byte) q;
		}
		return out;
	}

	/**
	 * (v - mean) / std for every grey level, computed as PyTorch does (a float32 division, not a
	 * multiplication by the inverse), so the model input matches the official one bit for bit.
	 */
	private static float[] normalised(float mean, float std) {
		float[] lut = new float[256];
		for (int v = 0; v < 256; v++)
			lut[v] = (v - mean) / std;
		return lut;
	}
}
