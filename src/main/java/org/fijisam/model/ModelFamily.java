package org.fijisam.model;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamModel;

/**
 * A model family (the {@code family} of sam.json) and how to load its models. A family owns
 * its embeddings and its decoder inputs; front ends see only the {@link SamModel} it returns.
 */
public interface ModelFamily {

	/** The name sam.json gives, e.g. "sam1". */
	String name();

	/** Which models it covers, for messages, e.g. "SAM ViT-B/L/H, MobileSAM, micro-sam and our own". */
	String covers();

	/** Loads a model whose descriptor names this family; the caller closes it. */
	SamModel load(ModelSource source, ExecutionOptions options) throws ModelException;
}
