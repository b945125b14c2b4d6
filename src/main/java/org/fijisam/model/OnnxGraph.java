package org.fijisam.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The inputs and outputs of one ONNX file, as plain values: what recognising an export's layout
 * needs, readable without ONNX Runtime (tests build them by hand).
 */
public final class OnnxGraph {

	/** One input or output: its name, element type (e.g. "FLOAT", "INT64") and shape (-1 = dynamic). */
	public static final class Tensor {
		public final String name;
		public final String type;
		private final long[] shape;

		public Tensor(String name, String type, long... shape) {
			this.name = name;
			this.type = type;
			this.shape = shape.clone();
		}

		public long[] shape() {
			return shape.clone();
		}

		public int rank() {
			return shape.length;
		}

		/** Size of axis {@code i}, or -1 when it is dynamic or the tensor has no such axis. */
		public long dim(int i) {
			return i >= 0 && i < shape.length ? shape[i] : -1;
		}

		@Override
		public String toString() {
			StringBuilder sb = new StringBuilder(name).append(' ').append(type).append(" [");
			for (int i = 0; i < shape.length; i++)
				sb.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
			return sb.append(']').toString();
		}
	}

	public final String file;
	public final List<Tensor> inputs;
	public final List<Tensor> outputs;

	public OnnxGraph(String file, List<Tensor> inputs, List<Tensor> outputs) {
		this.file = file;
		this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
		this.outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
	}

	public Tensor input(String name) {
		return find(inputs, name);
	}

	public Tensor output(String name) {
		return find(outputs, name);
	}

	/** Whether the graph has exactly these input names (in any order). */
	public boolean inputsAre(String... names) {
		return sameNames(inputs, names);
	}

	public boolean outputsInclude(String... names) {
		for (String n : names)
			if (output(n) == null) return false;
		return true;
	}

	public boolean inputsInclude(String... names) {
		for (String n : names)
			if (input(n) == null) return false;
		return true;
	}

	/** "file: inputs ...; outputs ..." for messages. */
	public String describe() {
		return file + "\n    inputs:  " + list(inputs) + "\n    outputs: " + list(outputs);
	}

	private static String list(List<Tensor> ts) {
		if (ts.isEmpty()) return "(none)";
		StringBuilder sb = new StringBuilder();
		for (Tensor t : ts)
			sb.append(sb.length() > 0 ? ", " : "").append(t);
		return sb.toString();
	}

	private static Tensor find(List<Tensor> ts, String name) {
		for (Tensor t : ts)
			if (t.name.equals(name)) return t;
		return null;
	}

	private static boolean sameNames(List<Tensor> ts, String... names) {
		if (ts.size() != names.length) return false;
		for (String n : names)
			if (find(ts, n) == null) return false;
		return true;
	}
}
