package org.fijisam.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.fijisam.core.ModelException;
import org.fijisam.model.GraphReader;
import org.fijisam.model.OnnxGraph;

/**
 * Reads an ONNX file's inputs and outputs through ONNX Runtime: the names and shapes it reports
 * are the ones a session will check, and it resolves external weight files as loading does.
 */
final class OnnxGraphs implements GraphReader {

	@Override
	public OnnxGraph read(Path file) throws ModelException {
		// No graph optimisation: only the interface is wanted, and optimising a large encoder takes long.
		try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
			opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
			opts.setIntraOpNumThreads(1);
			try (OrtSession s = SessionFactory.environment().createSession(file.toString(), opts)) {
				return new OnnxGraph(file.getFileName().toString(), tensors(s.getInputInfo()), tensors(s
					.getOutputInfo()));
			}
		}
		catch (OrtException e) {
			throw new ModelException("ONNX Runtime cannot read " + file + ": " + SessionFactory.firstLine(e
				.getMessage()) + ". Check that it is a complete ONNX file (and that its .onnx_data weights, " +
				"if it has them, lie beside it).", e);
		}
	}

	private static List<OnnxGraph.Tensor> tensors(Map<String, NodeInfo> nodes) {
		List<OnnxGraph.Tensor> out = new ArrayList<>();
		for (NodeInfo n : nodes.values()) {
			if (n.getInfo() instanceof TensorInfo) {
				TensorInfo t = (TensorInfo) n.getInfo();
				out.add(new OnnxGraph.Tensor(n.getName(), t.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_",
					""), t.getShape()));
			}
			else out.add(new OnnxGraph.Tensor(n.getName(), "NOT_A_TENSOR"));
		}
		return out;
	}
}
