package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamException;

/**
 * The part of a mask-free batch decoder's work that depends on the image alone (the
 * descriptor's {@code batch_decoder_no_mask.image_side}): a graph from the embedding to
 * tensors the decoder takes under the same names. Without a mask prompt every click on an
 * image shares these (the first layer's image keys, values and queries: 3 of the decoder's
 * largest products), so they are computed once per image and kept, for the last image decoded,
 * in direct buffers that ONNX Runtime reads in place; clicks and segment-everything batches on
 * that image then only pay for what depends on their prompts.
 */
final class OnnxImageSide {

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String input;
	private final KeptForLastEmbedding<Map<String, Kept>> kept = new KeptForLastEmbedding<>();
	private volatile int computed;

	/** One output, copied out of ONNX Runtime's memory. */
	private static final class Kept {
		final FloatBuffer data;
		final long[] shape;

		Kept(FloatBuffer data, long[] shape) {
			this.data = data;
			this.shape = shape;
		}
	}

	private OnnxImageSide(OrtEnvironment env, OrtSession session, String input) {
		this.env = env;
		this.session = session;
		this.input = input;
	}

	/**
	 * Checks that the image-side graph fits its decoder: one input of the embedding's shape,
	 * every output an input of the decoder.
	 *
	 * @param what the graph, as messages name it
	 */
	static OnnxImageSide check(OrtEnvironment env, OrtSession session, OrtSession decoder, int[] embeddingShape,
		String what) throws ModelException
	{
		try {
			Map<String, NodeInfo> in = session.getInputInfo();
			if (in.size() != 1) throw new ModelException(what + " must take one input (the image embedding), not " +
				in.keySet() + ".");
			Map.Entry<String, NodeInfo> only = in.entrySet().iterator().next();
			long[] shape = ((TensorInfo) only.getValue().getInfo()).getShape();
			long[] want = { 1, embeddingShape[0], embeddingShape[1], embeddingShape[2] };
			if (!java.util.Arrays.equals(shape, want)) throw new ModelException(what + " takes " + only.getKey() +
				" " + java.util.Arrays.toString(shape) + ", not the embedding's " + java.util.Arrays.toString(want) +
				": it belongs to another model.");
			Set<String> decoderInputs = decoder.getInputNames();
			List<String> missing = new ArrayList<>();
			for (String out : session.getOutputNames())
				if (!decoderInputs.contains(out)) missing.add(out);
			if (!missing.isEmpty()) throw new ModelException(what + " gives " + missing + ", which its decoder " +
				"does not take (it takes " + decoderInputs + "): the two files come from different exports.");
			return new OnnxImageSide(env, session, only.getKey());
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the " + what + ": " + e.getMessage(), e);
		}
	}

	/** How many times the graph ran (once per image decoded, while the image stays the last one). */
	int runs() {
		return computed;
	}

	/** The names of the decoder inputs this graph gives. */
	Set<String> outputs() {
		return session.getOutputNames();
	}

	/**
	 * The image side of {@code embedding} as tensors for one decoder call; the caller closes
	 * them (their data stays here, shared by later calls on the same image).
	 *
	 * @param embeddingTensor the embedding as a tensor of this graph's input shape
	 */
	Map<String, OnnxTensor> tensors(ImageEmbedding embedding, OnnxTensor embeddingTensor) throws SamException {
		Map<String, Kept> side = kept.get(embedding, () -> compute(embeddingTensor));
		Map<String, OnnxTensor> out = new LinkedHashMap<>();
		try {
			for (Map.Entry<String, Kept> e : side.entrySet())
				out.put(e.getKey(), OnnxTensor.createTensor(env, e.getValue().data.duplicate(), e.getValue().shape));
			return out;
		}
		catch (OrtException e) {
			close(out);
			throw new SamException("The decoder's image side failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
	}

	private Map<String, Kept> compute(OnnxTensor embeddingTensor) throws SamException {
		try (OrtSession.Result r = session.run(java.util.Collections.singletonMap(input, embeddingTensor))) {
			Map<String, Kept> result = new LinkedHashMap<>();
			for (Map.Entry<String, OnnxValue> e : r) {
				OnnxTensor t = (OnnxTensor) e.getValue();
				result.put(e.getKey(), new Kept(KeptForLastEmbedding.directCopy(t.getFloatBuffer()), t.getInfo()
					.getShape()));
			}
			computed++; // only ever inside kept.get, one at a time
			return result;
		}
		catch (OrtException e) {
			throw new SamException("The decoder's image side failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
	}

	static void close(Map<String, OnnxTensor> tensors) {
		for (OnnxTensor t : tensors.values())
			t.close();
	}
}
