package org.fijisam.core;

/** Polled by long-running core code; adapters wire it to a cancel button or a thread interrupt. */
@FunctionalInterface
public interface Cancellation {

	Cancellation NEVER = () -> false;

	boolean isCancelled();

	/** Throws {@link CancelledException} when cancellation was requested. */
	default void check() throws CancelledException {
		if (isCancelled()) throw new CancelledException();
	}
}
