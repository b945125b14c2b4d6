package org.fijisam.core;

import java.nio.FloatBuffer;
import java.util.List;

/** Runs a SAM-family image encoder on a preprocessed [1, 3, S, S] input. */
public interface ImageEncoder {

	/**
	 * @param input preprocessed NCHW data, 3 * S * S floats (position 0)
	 * @return the embedding's named tensors, as this family's decoder reads them; the encoder
	 *         checks them against what the model promises
	 */
	List<EmbeddingTensor> encode(FloatBuffer input) throws SamException;
}
