package org.fijisam.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One block of raw elements in a checkpoint, shared by every tensor that views it. The bytes
 * come from a {@link Source} only when a tensor is read, so opening a checkpoint of several
 * GB costs no heap: the zip and safetensors readers map the file region.
 */
public final class TensorStorage {

	/** Supplies the storage bytes on demand (typically a memory-mapped file region). */
	public interface Source {
		ByteBuffer open() throws CheckpointException;
	}

	private final String key;
	private final TensorDtype dtype;
	private final long numel;
	private final Source source;

	public TensorStorage(String key, TensorDtype dtype, long numel, Source source) {
		this.key = key;
		this.dtype = dtype;
		this.numel = numel;
		this.source = source;
	}

	public String key() {
		return key;
	}

	public TensorDtype dtype() {
		return dtype;
	}

	/** Number of elements (not bytes). */
	public long numel() {
		return numel;
	}

	/** The bytes, little-endian (PyTorch and safetensors both write little-endian). */
	ByteBuffer bytes() throws CheckpointException {
		ByteBuffer b = source.open().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		if (b.remaining() < numel * dtype.size()) throw new CheckpointException("Storage " + key +
			" of the checkpoint is truncated: " + b.remaining() + " bytes for " + numel + " elements of " + dtype +
			". The file is damaged; download it again.");
		return b;
	}
}
