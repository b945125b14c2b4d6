package org.fijisam.core;

import java.util.Arrays;

/**
 * One named tensor of an image embedding (float32, row-major, without the batch axis). Only
 * the model family that made it knows what the name and shape mean; core stores and passes
 * it on as it is.
 */
public final class EmbeddingTensor {

	private final String name;
	private final int[] shape;
	private final float[] data;

	/** @param data owned by the tensor from now on: never modified again */
	public EmbeddingTensor(String name, int[] shape, float[] data) {
		if (name == null || name.isEmpty()) throw new IllegalArgumentException("an embedding tensor needs a name");
		long n = 1;
		for (int s : shape) {
			if (s <= 0) throw new IllegalArgumentException(name + ": bad shape " + Arrays.toString(shape));
			n *= s;
		}
		if (n != data.length) throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) +
			" holds " + n + " values, not " + data.length);
		this.name = name;
		this.shape = shape.clone();
		this.data = data;
	}

	public String name() { return name; }

	public int[] shape() { return shape.clone(); }

	/** Row-major values; do not modify. */
	public float[] data() { return data; }

	public long bytes() {
		return 4L * data.length;
	}

	@Override
	public String toString() {
		return name + " " + Arrays.toString(shape);
	}
}
