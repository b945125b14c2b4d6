package org.fijisam.core;

import java.nio.FloatBuffer;

/**
 * SAM-1 preprocessing: resize the longer side to the model input size (bilinear), normalise
 * each channel with the model's mean and std, zero-pad bottom and right, NCHW float32.
 */
public final class Preprocessor {

	private final ModelSpec spec;

	public Preprocessor(ModelSpec spec) {
		this.spec = spec;
	}

	public ResizeGeometry geometry(SamImage image) {
		return new ResizeGeometry(image.width(), image.height(), spec.inputSize());
	}

	/** Writes the [1, 3, S, S] model input into {@code out} (capacity 3*S*S, position 0). */
	public void preprocess(SamImage image, FloatBuffer out) {
		ResizeGeometry g = geometry(image);
		int s = spec.inputSize();
		float[] mean = spec.pixelMean(), std = spec.pixelStd();
		float[] row = new float[s];
		for (int c = 0; c < 3; c++) {
			float[] resized = Bilinear.resize(image.channel(c), image.width(), image.height(),
				g.newWidth(), g.newHeight());
			float m = mean[c], inv = 1f / std[c];
			int base = c * s * s;
			for (int y = 0; y < s; y++) {
				// Padding is applied after normalisation, so padded pixels are exactly 0.
				java.util.Arrays.fill(row, 0f);
				if (y < g.newHeight()) {
					int off = y * g.newWidth();
					for (int x = 0; x < g.newWidth(); x++)
						row[x] = (resized[off + x] - m) * inv;
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
}
