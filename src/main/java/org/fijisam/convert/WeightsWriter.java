package org.fijisam.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.fijisam.checkpoint.CheckpointException;
import org.fijisam.checkpoint.CheckpointTensor;
import org.fijisam.core.CancelledException;
import org.fijisam.core.Cancellation;

/**
 * Streams checkpoint tensors into an external-data weights file: float32 little-endian (what
 * ONNX's external data holds), at the template's offsets, zeros in the alignment gaps. One
 * tensor is on the heap at a time, read from the memory-mapped checkpoint, so converting a
 * multi-GB checkpoint needs no more heap than its largest tensor.
 */
final class WeightsWriter {

	/** Called after each tensor with the bytes written so far in this conversion. */
	interface Progress {
		void written(long bytes);
	}

	private ByteBuffer buffer = ByteBuffer.allocate(0);
	private long total;

	/** Bytes a weights file of these slots holds (its last tensor's end). */
	static long length(List<ConversionTemplate.Slot> slots, Map<String, long[]> shapes) {
		long end = 0;
		for (ConversionTemplate.Slot s : slots)
			end = Math.max(end, s.offset + 4 * numel(shapes.get(s.name)));
		return end;
	}

	static long numel(long[] shape) {
		long n = 1;
		for (long d : shape)
			n = Math.multiplyExact(n, d);
		return n;
	}

	void write(Path file, List<ConversionTemplate.Slot> slots, Map<String, CheckpointTensor> tensors,
		Cancellation cancel, Progress progress) throws IOException, CheckpointException, CancelledException
	{
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			long pos = 0;
			for (ConversionTemplate.Slot s : slots) {
				cancel.check();
				if (s.offset < pos) throw new IOException("the template's weights overlap at " + s.name);
				CheckpointTensor t = tensors.get(s.name);
				int bytes = Math.toIntExact(4 * t.numel());
				if (buffer.capacity() < bytes) buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
				buffer.clear().limit(bytes);
				// float16 / bfloat16 checkpoints widen here: ONNX Runtime gets float32 as the graphs declare
				t.readFloats(buffer.asFloatBuffer());
				ch.position(s.offset);
				while (buffer.hasRemaining())
					ch.write(buffer);
				pos = s.offset + bytes;
				total += bytes;
				progress.written(total);
			}
			// Some file systems report a full disk only when the data reaches it.
			ch.force(true);
		}
	}
}
