package org.fijisam.checkpoint;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** A tensor of a checkpoint under its dotted name (e.g. "image_encoder.patch_embed.proj.weight"). */
public final class CheckpointTensor {
	private final String name;
	private final TensorData data;

	public CheckpointTensor(String name, TensorData data) {
		this.name = name;
		this.data = data;
	}

	public String name() {
		return name;
	}

	public TensorDtype dtype() {
		return data.dtype();
	}

	public long[] shape() {
		return data.shape();
	}

	public long numel() {
		return data.numel();
	}

	public TensorData data() {
		return data;
	}

	/** Values as float32, row-major, read from the file now. */
	public float[] readFloats() throws CheckpointException {
		return data.readFloats();
	}

	public void readFloats(FloatBuffer out) throws CheckpointException {
		data.readFloats(out);
	}

	@Override
	public String toString() {
		return name + " " + dtype() + " " + Arrays.toString(data.shape());
	}
}
