package org.fijisam.core;

import java.util.List;

/**
 * Runs a SAM mask decoder. Implementations may batch prompts in one run when the model has
 * a batch axis, or loop; the results must be the same either way.
 */
public interface MaskDecoder {

	/** One output per prompt, in order. */
	List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts)
		throws SamException;
}
