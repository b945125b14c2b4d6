package org.fijisam.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.SamException;
import org.fijisam.model.ModelDescriptor;

/**
 * Runs a mask decoder (SAM 1 or SAM 2 layout) into output tensors kept from run to run, and
 * reads each prompt's scores and logits from them ({@link DecoderResults}).
 * <p>
 * Why: ONNX Runtime's Java API hands a run's outputs back only as copies (a new heap buffer of
 * 1 MB per prompt for SAM's four 256x256 maps), which the reader copies again into each
 * prompt's arrays. Segment everything makes 1024 such runs' worth of garbage per image, which
 * the JVM collects late and lets the heap grow by (gigabytes on a 24 GB machine). Outputs
 * written into direct buffers that stay here are read once, straight into the prompts' arrays.
 * One set of buffers per concurrent run and batch size, a few at most.
 */
final class DecoderRuns implements AutoCloseable {

	/** Sets of buffers kept for later runs; more are closed when given back. */
	private static final int KEEP = 4;

	private final OrtEnvironment env;
	private final ModelDescriptor.Decoder names;
	private final int lowRes;
	private final Set<String> requested;
	private final ArrayDeque<Buffers> free = new ArrayDeque<>();
	private boolean closed;

	/** One run's output tensors, over direct buffers that outlive the run. */
	private static final class Buffers {
		final int batch;
		final FloatBuffer iou, lowRes;
		final Map<String, OnnxTensor> tensors = new HashMap<>();

		Buffers(OrtEnvironment env, ModelDescriptor.Decoder names, int batch, int l) throws OrtException {
			this.batch = batch;
			int k = names.maskOutputs;
			iou = direct(batch * k);
			lowRes = direct(batch * k * l * l);
			try {
				tensors.put(names.output("iou_predictions"), OnnxTensor.createTensor(env, iou, new long[] { batch, k }));
				tensors.put(names.output("low_res_masks"), OnnxTensor.createTensor(env, lowRes, new long[] { batch, k,
					l, l }));
			}
			catch (OrtException | RuntimeException e) {
				close();
				throw e;
			}
		}

		void close() {
			for (OnnxTensor t : tensors.values())
				t.close();
		}

		private static FloatBuffer direct(int floats) {
			return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
		}
	}

	/** @param lowRes the low-res mask side sam.json promises */
	DecoderRuns(OrtEnvironment env, ModelDescriptor.Decoder names, int lowRes) {
		this.env = env;
		this.names = names;
		this.lowRes = lowRes;
		this.requested = new HashSet<>(Arrays.asList(names.output("iou_predictions"), names.output(
			"low_res_masks")));
	}

	/**
	 * Runs {@code session} on {@code inputs} (the prompts at {@code chunk}'s indices) and puts
	 * each prompt's output into {@code out} at its index. Only the two outputs used are asked
	 * for: an official export also upsamples masks in the graph.
	 */
	void run(OrtSession session, Map<String, OnnxTensor> inputs, List<Integer> chunk, DecoderOutput[] out)
		throws OrtException, SamException
	{
		Buffers buffers = take(chunk.size());
		boolean fits;
		try {
			try {
				session.run(inputs, Collections.emptySet(), buffers.tensors).close();
				fits = true;
			}
			catch (OrtException e) {
				// Outputs of other shapes than sam.json promises do not fit the buffers: the
				// run below, into ONNX Runtime's own memory, lets DecoderResults say what
				// the decoder gave instead (a real failure fails there again, unchanged).
				fits = false;
			}
			if (fits) DecoderResults.read(buffers.iou.duplicate(), buffers.lowRes.duplicate(), names, lowRes, chunk,
				out);
		}
		finally {
			giveBack(buffers);
		}
		if (!fits) try (OrtSession.Result result = session.run(inputs, requested)) {
			DecoderResults.read(result, names, lowRes, chunk, out);
		}
	}

	private Buffers take(int batch) throws OrtException {
		synchronized (this) {
			for (Buffers b : free)
				if (b.batch == batch) {
					free.remove(b);
					return b;
				}
		}
		return new Buffers(env, names, batch, lowRes);
	}

	private synchronized void giveBack(Buffers buffers) {
		if (closed) buffers.close();
		else {
			free.addFirst(buffers);
			while (free.size() > KEEP)
				free.removeLast().close();
		}
	}

	/** Frees the kept buffers (runs still going free theirs when they end). */
	@Override
	public synchronized void close() {
		closed = true;
		for (Buffers b : free)
			b.close();
		free.clear();
	}
}
