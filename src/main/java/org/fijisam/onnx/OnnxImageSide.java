package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
 * descriptor's {@code batch_decoder_no_mask.image_side}): a graph from the image tensors (SAM 1:
 * the embedding; SAM 2: image_embed and the two high-resolution feature maps) to tensors the
 * decoder takes under the same names. Without a mask prompt every click on an image shares these
 * (the first layer's image keys, values and queries: 3 of the decoder's largest products; for
 * SAM 2 also the skip features rearranged for the upscaling), so they are computed once per image
 * and kept, for the last image decoded, in direct buffers that ONNX Runtime reads in place; clicks
 * and segment-everything batches on that image then only pay for what depends on their prompts.
 */
final class OnnxImageSide {

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String[] inputs;
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

	private OnnxImageSide(OrtEnvironment env, OrtSession session, String[] inputs) {
		this.env = env;
		this.session = session;
		this.inputs = inputs;
	}

	/**
	 * Checks that the image-side graph of a SAM 1 decoder fits it: one input of the embedding's
	 * shape (whatever its name), every output an input of the decoder.
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
			String only = in.keySet().iterator().next();
			return check(env, session, decoder, new String[] { only }, new int[][] { embeddingShape }, what);
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the " + what + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Checks that the image-side graph fits its decoder: exactly the inputs {@code names}, each of
	 * batch 1 and the (C, H, W) in {@code shapes}; every output an input of the decoder.
	 *
	 * @param names the image tensors' input names, in the order {@link #tensors} gets them
	 * @param what the graph, as messages name it
	 */
	static OnnxImageSide check(OrtEnvironment env, OrtSession session, OrtSession decoder, String[] names,
		int[][] shapes, String what) throws ModelException
	{
		try {
			Map<String, NodeInfo> in = session.getInputInfo();
			if (!in.keySet().equals(new java.util.HashSet<>(Arrays.asList(names)))) throw new ModelException(what +
				" must take " + Arrays.toString(names) + " (the image tensors), not " + in.keySet() + ".");
			for (int i = 0; i < names.length; i++) {
				long[] shape = ((TensorInfo) in.get(names[i]).getInfo()).getShape();
				long[] want = { 1, shapes[i][0], shapes[i][1], shapes[i][2] };
				if (!Arrays.equals(shape, want)) throw new ModelException(what + " takes " + names[i] + " " + Arrays
					.toString(shape) + ", not the embedding's " + Arrays.toString(want) + ": it belongs to another model.");
			}
			Set<String> decoderInputs = decoder.getInputNames();
			List<String> missing = new ArrayList<>();
			for (String out : session.getOutputNames())
				if (!decoderInputs.contains(out)) missing.add(out);
			if (!missing.isEmpty()) throw new ModelException(what + " gives " + missing + ", which its decoder " +
				"does not take (it takes " + decoderInputs + "): the two files come from different exports.");
			return new OnnxImageSide(env, session, names.clone());
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
	 * @param imageTensors the embedding's tensors, in the order and shapes this graph was checked for
	 */
	Map<String, OnnxTensor> tensors(ImageEmbedding embedding, OnnxTensor... imageTensors) throws SamException {
		Map<String, Kept> side = kept.get(embedding, () -> compute(imageTensors));
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

	private Map<String, Kept> compute(OnnxTensor[] imageTensors) throws SamException {
		Map<String, OnnxTensor> feed = new LinkedHashMap<>();
		for (int i = 0; i < inputs.length; i++)
			feed.put(inputs[i], imageTensors[i]);
		try (OrtSession.Result r = session.run(feed)) {
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
