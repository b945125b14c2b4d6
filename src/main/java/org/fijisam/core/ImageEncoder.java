package org.fijisam.core;

import java.nio.FloatBuffer;

/** Runs a SAM image encoder on a preprocessed [1, 3, S, S] input. */
public interface ImageEncoder {

	/**
	 * @param input preprocessed NCHW data, 3 * S * S floats (position 0)
	 * @return the embedding, C * H * W floats
	 */
	float[] encode(FloatBuffer input) throws SamException;
}
