package org.fijisam.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk form of an {@link ImageEmbedding}, versioned so that a file written by another
 * version of the plugin is recomputed, never misread. Format 2: magic "SAME", format number,
 * cache key, tensor count, then per tensor its name, rank, sizes and float32 values (little
 * endian). Format 1 (one unnamed tensor of rank 3 right after the key) is not read: its key
 * length lands where the format number is expected, which is never 2.
 */
final class EmbeddingFile {

	static final int MAGIC = 0x53414d45; // "SAME"
	static final int FORMAT = 2;

	/** More than any SAM family needs; a damaged count must not allocate a huge array. */
	private static final int MAX_TENSORS = 64;
	private static final int MAX_RANK = 8;

	private EmbeddingFile() {}

	static void write(DataOutputStream out, ImageEmbedding e) throws IOException {
		out.writeInt(MAGIC);
		out.writeInt(FORMAT);
		out.writeUTF(e.key());
		out.writeInt(e.tensors().size());
		for (EmbeddingTensor t : e.tensors()) {
			out.writeUTF(t.name());
			int[] shape = t.shape();
			out.writeInt(shape.length);
			for (int s : shape)
				out.writeInt(s);
			ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
			buf.asFloatBuffer().put(t.data());
			out.write(buf.array());
		}
	}

	/**
	 * The embedding stored under {@code key}, or null when the file is of another format or
	 * another key (a hash collision or a stale file).
	 * @param fileSize bounds every size read, so that a damaged header fails instead of
	 *        allocating what the file cannot hold
	 */
	static ImageEmbedding read(DataInputStream in, String key, long fileSize, ResizeGeometry geometry)
		throws IOException
	{
		if (in.readInt() != MAGIC || in.readInt() != FORMAT) return null;
		if (!in.readUTF().equals(key)) return null;
		int count = in.readInt();
		if (count <= 0 || count > MAX_TENSORS) return null;
		List<EmbeddingTensor> tensors = new ArrayList<>(count);
		long left = fileSize;
		for (int i = 0; i < count; i++) {
			String name = in.readUTF();
			int rank = in.readInt();
			if (rank <= 0 || rank > MAX_RANK) return null;
			int[] shape = new int[rank];
			long n = 1;
			for (int d = 0; d < rank; d++) {
				shape[d] = in.readInt();
				if (shape[d] <= 0) return null;
				n *= shape[d];
				if (4 * n > left || 4 * n > Integer.MAX_VALUE - 8) return null;
			}
			left -= 4 * n;
			byte[] payload = new byte[(int) (4 * n)];
			in.readFully(payload);
			float[] data = new float[(int) n];
			ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
			tensors.add(new EmbeddingTensor(name, shape, data));
		}
		if (in.read() != -1) return null; // trailing bytes: not a file this code wrote
		return new ImageEmbedding(tensors, geometry, key);
	}
}
