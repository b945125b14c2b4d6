package org.fijisam.onnx;

import java.util.Arrays;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

import org.fijisam.core.ModelException;
import org.fijisam.model.ModelDescriptor;

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
		return require(OnnxJavaType.FLOAT, role, name, expected);
	}

	/** As {@link #require(String, String, long...)} for a tensor of element type {@code type}. */
	long[] require(OnnxJavaType type, String role, String name, long... expected) throws ModelException {
		NodeInfo node = tensors.get(name);
		if (node == null) throw new ModelException("The " + what + " has no " + kind + " '" + name + "' (role " +
			role + "). Its " + kind + "s are " + tensors.keySet() + ". Fix the tensor names in sam.json or use " +
			"a SAM-shaped export.");
		if (!(node.getInfo() instanceof TensorInfo)) throw new ModelException("The " + what + "'s " + kind +
			" '" + name + "' is not a tensor.");
		TensorInfo info = (TensorInfo) node.getInfo();
		if (info.type != type) throw new ModelException("The " + what + "'s " + kind + " '" + name + "' is " +
			info.type + " but " + (type == OnnxJavaType.FLOAT ? "SAM uses float32. Re-export the model with float " +
				"inputs." : type + " is expected for " + role + "."));
		long[] shape = info.getShape();
		boolean ok = shape.length == expected.length;
		for (int i = 0; ok && i < shape.length; i++)
			ok = expected[i] < 0 || shape[i] < 0 || shape[i] == expected[i];
		if (!ok) throw new ModelException("The " + what + "'s " + kind + " '" + name + "' has shape " +
			show(shape) + " but " + show(expected) + " is expected for " + role +
			". Check input_size, embedding_shape and low_res_size in sam.json.");
		return shape;
	}

	/**
	 * The prompt inputs and the score/mask outputs every SAM-family decoder shares (batch size
	 * {@code b}, -1 for a batch axis; low-res side {@code l}); the image inputs are the family's.
	 */
	static void requirePromptInterface(TensorCheck in, TensorCheck out, ModelDescriptor.Decoder dec, long b, int l)
		throws ModelException
	{
		in.require("point_coords", dec.input("point_coords"), b, -1, 2);
		in.require("point_labels", dec.input("point_labels"), b, -1);
		if (dec.takesMasks()) {
			in.require("mask_input", dec.input("mask_input"), b, 1, l, l);
			in.require("has_mask_input", dec.input("has_mask_input"), b);
		}
		out.require("iou_predictions", dec.output("iou_predictions"), b, dec.maskOutputs);
		out.require("low_res_masks", dec.output("low_res_masks"), b, dec.maskOutputs, l, l);
	}

	private static String show(long[] shape) {
		return Arrays.toString(Arrays.stream(shape).mapToObj(v -> v < 0 ? "?" : Long.toString(v)).toArray());
	}
}
