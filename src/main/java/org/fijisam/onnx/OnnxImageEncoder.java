package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamException;

/**
 * An image encoder running in an ONNX Runtime session, whose outputs become the named tensors of
 * the embedding the decoder reads back. SAM 1: the tensor {@value #EMBEDDING}, and for a
 * transformers.js export also {@value #POSITIONAL} (HF's SamModel exports the image-wide
 * positional encoding from the encoder graph, and its decoder takes it back as an input); SAM 2:
 * three tensors ({@link OnnxSam2Encoder}).
 */
final class OnnxImageEncoder implements ImageEncoder {

	/** The name of SAM 1's image embedding tensor, which the decoders read. */
	static final String EMBEDDING = "image_embeddings";

	/** The name (and descriptor role) of a transformers.js encoder's second output. */
	static final String POSITIONAL = "image_positional_embeddings";

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String input;
	private final long[] shape;
	/** Embedding tensor names, the graph's output names for them, and the shapes (C, H, W) promised. */
	private final String[] names;
	private final String[] outputs;
	private final int[][] shapes;

	/** The one-output encoder of SAM 1. */
	OnnxImageEncoder(OrtEnvironment env, OrtSession session, String input, String output, int inputSize,
		int[] embeddingShape)
	{
		this(env, session, input, inputSize, new String[] { EMBEDDING }, new String[] { output },
			new int[][] { embeddingShape });
	}

	OnnxImageEncoder(OrtEnvironment env, OrtSession session, String input, int inputSize, String[] names,
		String[] outputs, int[][] shapes)
	{
		this.env = env;
		this.session = session;
		this.input = input;
		this.shape = new long[] { 1, 3, inputSize, inputSize };
		this.names = names.clone();
		this.outputs = outputs.clone();
		this.shapes = shapes.clone();
	}

	@Override
	public List<EmbeddingTensor> encode(FloatBuffer data) throws SamException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape);
			OrtSession.Result result = session.run(Collections.singletonMap(input, tensor)))
		{
			List<EmbeddingTensor> out = new ArrayList<>(names.length);
			for (int i = 0; i < names.length; i++) {
				String name = outputs[i];
				OnnxValue v = result.get(name).orElseThrow(() -> new SamException("The encoder produced no '" + name +
					"' output."));
				FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
				int[] s = shapes[i];
				long expected = (long) s[0] * s[1] * s[2];
				// Dynamic output shapes pass the load-time check; the values counted here cannot lie.
				if (b.remaining() != expected) throw new ModelException("The encoder's '" + name + "' has " +
					b.remaining() + " values but the descriptor promises " + Arrays.toString(s) + " = " + expected +
					": fix embedding_shape (SAM 2: high_res_shapes) in sam.json.");
				float[] values = new float[b.remaining()];
				b.get(values);
				out.add(new EmbeddingTensor(names[i], s, values));
			}
			return out;
		}
		catch (OrtException e) {
			throw new SamException("The image encoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
	}
}
