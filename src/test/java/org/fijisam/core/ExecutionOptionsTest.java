package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The one thread-count rule all front ends share. */
class ExecutionOptionsTest {

	static final int CORES = Runtime.getRuntime().availableProcessors();

	@Test
	void zeroMeansAllCoresAndOneToTheCoreCountIsAccepted() {
		assertEquals(0, ExecutionOptions.checkThreads("--threads ", 0));
		assertEquals(1, ExecutionOptions.checkThreads("--threads ", 1));
		assertEquals(CORES, ExecutionOptions.checkThreads("--threads ", CORES));
		assertEquals(CORES, ExecutionOptions.cpu().withThreads(CORES).threads());
	}

	@Test
	void moreThreadsThanCoresNamesTheCoreCount() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutionOptions
			.checkThreads("--threads ", 1000));
		assertEquals("--threads 1000: this machine has " + CORES + (CORES == 1 ? " core" : " cores") + "; use 1.." +
			CORES + ", or 0 for all", e.getMessage());
	}

	@Test
	void negativeCountsAreRefused() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutionOptions
			.checkThreads("threads=", -1));
		assertEquals("threads=-1: a thread count cannot be negative; use 1.." + CORES + ", or 0 for all", e
			.getMessage());
	}
}
