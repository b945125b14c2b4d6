package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.InstanceDecoder;
import org.fijisam.core.InstanceMaps;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamException;
import org.fijisam.core.ais.AisParameters;
import org.fijisam.model.ModelDescriptor;

/**
 * The instance decoder of a model (descriptor entry "instance_decoder") in an ONNX Runtime
 * session: the image embedding and the preprocessed image in, foreground / centre distance /
 * boundary distance maps out, each [1, 1, L, L] over the padded input frame. A decoder whose
 * graph has no image input (micro-sam's, which reads the embedding only) gets the embedding alone.
 */
final class OnnxInstanceDecoder implements InstanceDecoder {

	static final String[] INPUTS = { "image_embeddings", "image" };
	static final String[] OUTPUTS = { "foreground", "center_distance", "boundary_distance" };

	private final OrtEnvironment env;
	private final OrtSession session;
	private final ModelDescriptor.InstanceDecoderEntry entry;
	private final int inputSize;
	private final int side;
	private final AisParameters parameters;
	private final boolean readsImage;

	OnnxInstanceDecoder(OrtEnvironment env, OrtSession session, ModelDescriptor.InstanceDecoderEntry entry,
		int inputSize, int side) throws ModelException
	{
		this.env = env;
		this.session = session;
		this.entry = entry;
		this.inputSize = inputSize;
		this.side = side;
		this.parameters = entry.parameters();
		try {
			this.readsImage = readsImage(session, entry);
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the instance decoder: " + e.getMessage(), e);
		}
	}

	/**
	 * Whether the graph takes the preprocessed image: when it has the input, or when the
	 * descriptor names one (then its absence is an error of the check).
	 */
	private static boolean readsImage(OrtSession s, ModelDescriptor.InstanceDecoderEntry entry) throws OrtException {
		return entry.inputs != null && entry.inputs.containsKey("image") || s.getInputInfo().containsKey(entry.input(
			"image"));
	}

	/** Load-time check: the tensors the descriptor names exist with shapes that fit the encoder. */
	static int check(OrtSession s, ModelDescriptor.InstanceDecoderEntry entry, ModelDescriptor d, String what)
		throws ModelException
	{
		try {
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			int[] e = d.embeddingShape;
			in.require("the image embedding (embedding_shape " + e[0] + "x" + e[1] + "x" + e[2] + " of the encoder)",
				entry.input("image_embeddings"), 1, e[0], e[1], e[2]);
			if (readsImage(s, entry)) in.require("the preprocessed image", entry.input("image"), 1, 3, d.inputSize,
				d.inputSize);
			TensorCheck out = new TensorCheck(what, "output", s.getOutputInfo());
			long[] shape = out.require("the foreground map", entry.output("foreground"), 1, 1, -1, -1);
			long l = shape[2] > 0 ? shape[2] : d.lowResSize;
			for (String o : OUTPUTS)
				out.require("the " + o.replace('_', ' ') + " map", entry.output(o), 1, 1, l, l);
			return (int) l;
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the instance decoder: " + e.getMessage(), e);
		}
	}

	@Override
	public AisParameters parameters() {
		return parameters;
	}

	@Override
	public InstanceMaps decode(ImageEmbedding embedding, FloatBuffer image) throws SamException {
		float[] e = embedding.tensor(OnnxImageEncoder.EMBEDDING).data();
		int[] shape = embedding.tensor(OnnxImageEncoder.EMBEDDING).shape();
		Map<String, OnnxTensor> inputs = new HashMap<>();
		try {
			inputs.put(entry.input("image_embeddings"), OnnxTensor.createTensor(env, FloatBuffer.wrap(e), new long[] { 1,
				shape[0], shape[1], shape[2] }));
			if (readsImage) inputs.put(entry.input("image"), OnnxTensor.createTensor(env, image, new long[] { 1, 3,
				inputSize, inputSize }));
			try (OrtSession.Result result = session.run(inputs)) {
				float[][] maps = new float[OUTPUTS.length][];
				for (int i = 0; i < OUTPUTS.length; i++) {
					String name = entry.output(OUTPUTS[i]);
					OnnxValue v = result.get(name).orElseThrow(() -> new SamException("The instance decoder produced no '" +
						name + "' output."));
					FloatBuffer out = ((OnnxTensor) v).getFloatBuffer();
					if (out.remaining() != side * side) throw new ModelException("The instance decoder returned " + out
						.remaining() + " values for " + name + " instead of " + side + "x" + side + ".");
					maps[i] = new float[side * side];
					out.get(maps[i]);
				}
				return new InstanceMaps(side, side, maps[0], maps[1], maps[2]);
			}
		}
		catch (OrtException ex) {
			throw new SamException("The instance decoder failed: " + SessionFactory.firstLine(ex.getMessage()), ex);
		}
		finally {
			for (OnnxTensor t : inputs.values())
				t.close();
		}
	}
}
