package org.fijisam.onnx;

import java.nio.FloatBuffer;
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

/** A SAM 1 image encoder running in an ONNX Runtime session: one tensor, {@value #EMBEDDING}. */
final class OnnxImageEncoder implements ImageEncoder {

	/** The name of SAM 1's only embedding tensor, which {@link OnnxMaskDecoder} reads. */
	static final String EMBEDDING = "image_embeddings";

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String input;
	private final String output;
	private final long[] shape;
	private final int[] embeddingShape;

	OnnxImageEncoder(OrtEnvironment env, OrtSession session, String input, String output, int inputSize,
		int[] embeddingShape)
	{
		this.env = env;
		this.session = session;
		this.input = input;
		this.output = output;
		this.shape = new long[] { 1, 3, inputSize, inputSize };
		this.embeddingShape = embeddingShape.clone();
	}

	@Override
	public List<EmbeddingTensor> encode(FloatBuffer data) throws SamException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape);
			OrtSession.Result result = session.run(Collections.singletonMap(input, tensor)))
		{
			OnnxValue v = result.get(output).orElseThrow(() -> new SamException(
				"The encoder produced no '" + output + "' output."));
			FloatBuffer out = ((OnnxTensor) v).getFloatBuffer();
			long expected = (long) embeddingShape[0] * embeddingShape[1] * embeddingShape[2];
			// Dynamic output shapes pass the load-time check; the values counted here cannot lie.
			if (out.remaining() != expected) throw new ModelException("The encoder returned " + out.remaining() +
				" values but the descriptor promises " + expected + ": fix embedding_shape in sam.json.");
			float[] embedding = new float[out.remaining()];
			out.get(embedding);
			return Collections.singletonList(new EmbeddingTensor(EMBEDDING, embeddingShape, embedding));
		}
		catch (OrtException e) {
			throw new SamException("The image encoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
	}
}
