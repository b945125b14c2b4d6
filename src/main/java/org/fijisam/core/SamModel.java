package org.fijisam.core;

/**
 * A loaded SAM-family model: what it expects ({@link ModelSpec}) and how to run it. Front ends
 * know models only through this interface (loaded by {@code org.fijisam.model.Models}). Holds
 * native resources in real implementations; close it when done.
 */
public interface SamModel extends AutoCloseable {

	ModelSpec spec();

	ImageEncoder encoder();

	MaskDecoder decoder();

	/** The model's instance decoder (automatic instance segmentation), or null when it has none. */
	default InstanceDecoder instanceDecoder() {
		return null;
	}

	/** The automatic mode a run uses when the user names none: "ais" with an instance decoder, else "amg". */
	default String automaticMode() {
		return instanceDecoder() != null ? "ais" : "amg";
	}

	/** Stable identifier of the weights (e.g. a hash of the files), used in cache keys. */
	String id();

	/** Human-readable description of where it runs, e.g. "CPU (2 threads)". */
	String executionSummary();

	/**
	 * True when the decoder runs many prompts in one run (a batch axis), false when it decodes
	 * them one by one; the masks are the same either way, only the speed differs.
	 */
	boolean batchedDecoder();

	@Override
	void close();
}
