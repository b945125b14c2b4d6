package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.Collections;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.ImageEncoder;
import org.fijisam.core.SamException;

/** A SAM image encoder running in an ONNX Runtime session. */
final class OnnxImageEncoder implements ImageEncoder {

	private final OrtEnvironment env;
	private final OrtSession session;
	private final String input;
	private final String output;
	private final long[] shape;

	OnnxImageEncoder(OrtEnvironment env, OrtSession session, String input, String output, int inputSize) {
		this.env = env;
		this.session = session;
		this.input = input;
		this.output = output;
		this.shape = new long[] { 1, 3, inputSize, inputSize };
	}

	@Override
	public float[] encode(FloatBuffer data) throws SamException {
		try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape);
			OrtSession.Result result = session.run(Collections.singletonMap(input, tensor)))
		{
			OnnxValue v = result.get(output).orElseThrow(() -> new SamException(
				"The encoder produced no '" + output + "' output."));
			FloatBuffer out = ((OnnxTensor) v).getFloatBuffer();
			float[] embedding = new float[out.remaining()];
			out.get(embedding);
			return embedding;
		}
		catch (OrtException e) {
			throw new SamException("The image encoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
	}
}
