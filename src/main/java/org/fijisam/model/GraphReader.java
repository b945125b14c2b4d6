package org.fijisam.model;

import java.nio.file.Path;

import org.fijisam.core.ModelException;

/**
 * Reads the inputs and outputs of an ONNX file. The implementation needs ONNX Runtime and lives
 * in the onnx package; {@link Models} hands it out so that the CLI and model folders can
 * recognise exports without naming that package.
 */
public interface GraphReader {

	/** The graph's inputs (weights excluded) and outputs; a file that is no ONNX model is a ModelException. */
	OnnxGraph read(Path file) throws ModelException;
}
