package org.fijisam.core;

/**
 * A loaded SAM-family model: what it expects ({@link ModelSpec}) and how to run it. Holds
 * native resources in real implementations; close it when done.
 */
public interface SamModel extends AutoCloseable {

	ModelSpec spec();

	ImageEncoder encoder();

	MaskDecoder decoder();

	/** Stable identifier of the weights (e.g. a hash of the files), used in cache keys. */
	String id();

	/** Human-readable description of where it runs, e.g. "CPU (2 threads)". */
	String executionSummary();

	@Override
	void close();
}
