package org.fijisam.onnx;

import org.fijisam.core.MaskDecoder;

/** A mask decoder holding ONNX Runtime resources, as the model classes keep and close it. */
interface OnnxDecoder extends MaskDecoder, AutoCloseable {

	/** Whether prompts run together along a batch axis. */
	boolean batched();

	@Override
	void close();
}
