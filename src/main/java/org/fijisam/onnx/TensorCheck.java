package org.fijisam.onnx;

import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

import org.fijisam.core.ModelException;

/**
 * Validates an ONNX session's inputs and outputs against what the descriptor promises, so a
 * model that is not SAM-shaped fails at load time with a message naming the mismatch rather
 * than deep inside a run.
 */
final class TensorCheck {

	private final String what;
	private final Map<String, NodeInfo> tensors;
	private final String kind;

	TensorCheck(String what, String kind, Map<String, NodeInfo> tensors) {
		this.what = what;
		this.kind = kind;
		this.tensors = tensors;
	}

	/**
	 * Requires a float tensor {@code name} whose shape matches {@code expected}; -1 in
	 * {@code expected} accepts any size, and dynamic (-1) sizes in the model accept anything.
	 */
	long[] require(String role, String name, long... expected) throws ModelException {
		NodeInfo node = tensors.get(name);
		if (node == null) throw new ModelException("The " + what + " has no " + kind + " '" + name + "' (role " +
			role + "). Its " + kind + "s are " + tensors.keySet() + ". Fix the tensor names in sam.json or use " +
			"a SAM-shaped export.");
		if (!(node.getInfo() instanceof TensorInfo)) throw new ModelException("The " + what + "'s " + kind +
			" '" + name + "' is not a tensor.");
		TensorInfo info = (TensorInfo) node.getInfo();
		if (info.type != OnnxJavaType.FLOAT) throw new ModelException("The " + what + "'s " + kind + " '" +
			name + "' is " + info.type + " but SAM uses float32. Re-export the model with float inputs.");
		long[] shape = info.getShape();
		boolean ok = shape.length == expected.length;
		for (int i = 0; ok && i < shape.length; i++)
			ok = expected[i] < 0 || shape[i] < 0 || shape[i] == expected[i];
		if (!ok) throw new ModelException("The " + what + "'s " + kind + " '" + name + "' has shape " +
			show(shape) + " but " + show(expected) + " is expected for " + role +
			". Check input_size, embedding_shape and low_res_size in sam.json.");
		return shape;
	}

	private static String show(long[] shape) {
		return Arrays.toString(Arrays.stream(shape).mapToObj(v -> v < 0 ? "?" : Long.toString(v)).toArray());
	}
}
