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
 * A SAM 2 image encoder in ONNX Runtime. Its three outputs are what the official image
 * predictor keeps per image (the stride-16 embedding with no_mem_embed added, and the stride-4
 * and stride-8 feature maps after the decoder's conv_s0/conv_s1), and they become the three
 * named tensors of the embedding that {@link OnnxSam2Decoder} reads back by these names.
 */
final class OnnxSam2Encoder implements ImageEncoder {

	/** Embedding tensor names (and descriptor roles), in the order the encoder returns them. */
	static final String IMAGE_EMBED = "image_embed";
	static final String HIGH_RES_0 = "high_res_feats_0";
	static final String HIGH_RES_1 = "high_res_feats_1";

	/** The descriptor role of the image embedding, shared with SAM 1's descriptor layout. */
	static final String IMAGE_EMBED_ROLE = "image_embeddings";

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String input;
	private final long[] inputShape;
	/** Output tensor names, and the shapes (C, H, W) the descriptor promises, per embedding tensor. */
	private final String[] names;
	private final String[] outputs;
	private final int[][] shapes;

	OnnxSam2Encoder(OrtEnvironment env, OrtSession session, String input, int inputSize, String[] outputs,
		int[][] shapes)
	{
		this.env = env;
		this.session = session;
		this.input = input;
		this.inputShape = new long[] { 1, 3, inputSize, inputSize };
		this.names = new String[] { IMAGE_EMBED, HIGH_RES_0, HIGH_RES_1 };
		this.outputs = outputs.clone();
		this.shapes = shapes.clone();
	}

	@Override
	public List<EmbeddingTensor> encode(FloatBuffer data) throws SamException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, inputShape);
			OrtSession.Result result = session.run(Collections.singletonMap(input, tensor)))
		{
			List<EmbeddingTensor> out = new ArrayList<>(3);
			for (int i = 0; i < 3; i++) {
				String name = outputs[i];
				OnnxValue v = result.get(name).orElseThrow(() -> new SamException(
					"The SAM 2 encoder produced no '" + name + "' output."));
				FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
				int[] s = shapes[i];
				long expected = (long) s[0] * s[1] * s[2];
				// Dynamic output shapes pass the load-time check; the values counted here cannot lie.
				if (b.remaining() != expected) throw new ModelException("The SAM 2 encoder's '" + name + "' has " +
					b.remaining() + " values but sam.json promises " + Arrays.toString(s) + " = " + expected +
					": fix embedding_shape / high_res_shapes in sam.json.");
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
