package org.fijisam.checkpoint;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A view into a {@link TensorStorage}: offset, shape and strides in elements, as PyTorch's
 * tensors are. Views may be non-contiguous (a saved transpose) and several may share one
 * storage; reading walks the strides so the values come out in row-major order of the shape.
 */
public final class TensorData {
	private final TensorStorage storage;
	private final long offset;
	private final long[] shape;
	private final long[] strides;
	private final long numel;

	/** Checks the view stays inside its storage so a crafted file cannot read past it. */
	public TensorData(TensorStorage storage, long offset, long[] shape, long[] strides) throws CheckpointException {
		if (shape.length != strides.length) throw new CheckpointException("Tensor in storage " + storage.key() +
			" has " + shape.length + " dimensions but " + strides.length + " strides; the checkpoint is corrupt.");
		if (offset < 0) throw corrupt(storage, "a negative storage offset");
		long last = offset, n = 1;
		try {
			for (int i = 0; i < shape.length; i++) {
				if (shape[i] < 0 || strides[i] < 0) throw corrupt(storage, "a negative size or stride");
				n = Math.multiplyExact(n, shape[i]);
				if (shape[i] > 0) last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
			}
		} catch (ArithmeticException e) {
			throw corrupt(storage, "a size too large to exist");
		}
		if (n > 0 && last >= storage.numel()) throw corrupt(storage, "a view reaching element " + last +
			" of a storage of " + storage.numel());
		this.numel = n;
		this.storage = storage;
		this.offset = offset;
		this.shape = shape.clone();
		this.strides = strides.clone();
	}

	private static CheckpointException corrupt(TensorStorage s, String what) {
		return new CheckpointException("Tensor in storage " + s.key() + " has " + what +
			"; the checkpoint is corrupt or not a PyTorch checkpoint.");
	}

	/** Row-major strides for a shape (what safetensors and contiguous tensors use). */
	public static long[] contiguousStrides(long[] shape) {
		long[] s = new long[shape.length];
		long acc = 1;
		for (int i = shape.length - 1; i >= 0; i--) {
			s[i] = acc;
			acc *= shape[i];
		}
		return s;
	}

	public TensorStorage storage() {
		return storage;
	}

	public TensorDtype dtype() {
		return storage.dtype();
	}

	public long offset() {
		return offset;
	}

	public long[] shape() {
		return shape.clone();
	}

	public long[] strides() {
		return strides.clone();
	}

	public long numel() {
		return numel;
	}

	public boolean isContiguous() {
		return Arrays.equals(strides, contiguousStrides(shape)) || numel() <= 1;
	}

	/** All values as float, row-major; only this tensor's values are on the heap. */
	public float[] readFloats() throws CheckpointException {
		long n = numel();
		if (n > Integer.MAX_VALUE - 8) throw new CheckpointException("Tensor of " + n +
			" elements is too large for one array; read it into a FloatBuffer in parts.");
		float[] out = new float[(int) n];
		readFloats(FloatBuffer.wrap(out));
		return out;
	}

	/** Writes all values, row-major, at the buffer's position (which advances by numel). */
	public void readFloats(FloatBuffer out) throws CheckpointException {
		if (out.remaining() < numel()) throw new IllegalArgumentException("Buffer has room for " + out.remaining() +
			" of " + numel() + " values");
		if (numel() == 0) return;
		ByteBuffer b = storage.bytes();
		TensorDtype t = storage.dtype();
		int size = t.size();
		if (t == TensorDtype.F32 && isContiguous()) {
			// the common case (most weights): one bulk copy instead of an element loop
			FloatBuffer src = b.position(Math.toIntExact(offset * 4)).slice().order(b.order()).asFloatBuffer();
			out.put(src.limit((int) numel));
			return;
		}
		if (shape.length == 0) {
			out.put(t.read(b, Math.toIntExact(offset * size)));
			return;
		}
		// odometer over the index, innermost dimension in the tight loop
		int rank = shape.length;
		long[] idx = new long[rank];
		long inner = shape[rank - 1], innerStride = strides[rank - 1];
		long base = offset;
		while (true) {
			long e = base;
			for (long k = 0; k < inner; k++, e += innerStride)
				out.put(t.read(b, Math.toIntExact(e * size)));
			int d = rank - 2;
			while (d >= 0) {
				idx[d]++;
				base += strides[d];
				if (idx[d] < shape[d]) break;
				base -= idx[d] * strides[d];
				idx[d] = 0;
				d--;
			}
			if (d < 0) return;
		}
	}
}
