package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs never write into one output folder at once; an ended run's lock does not block the next. */
class OutputLockTest {

	@Test
	void aSecondRunIsStoppedWithWhoHoldsTheFolder(@TempDir Path dir) throws Exception {
		try (OutputLock first = OutputLock.acquire(dir, "segment everything over 3 images")) {
			UnsafeOutputException e = assertThrows(UnsafeOutputException.class, () -> OutputLock.acquire(dir, "other"));
			assertTrue(e.getMessage().contains("Another run is writing into " + dir) && e.getMessage().contains(
				"segment everything over 3 images") && e.getMessage().contains("process " + ProcessHandle.current()
					.pid()) && e.getMessage().contains("give another output folder"), e.getMessage());
		}
		assertFalse(Files.exists(dir.resolve(OutputLock.FILE_NAME)), "released");
		OutputLock.acquire(dir, "next").close();
	}

	@Test
	void theLockOfAnEndedProcessOfThisHostIsTakenOver(@TempDir Path dir) throws Exception {
		Process p = new ProcessBuilder("true").start();
		p.waitFor();
		Files.writeString(dir.resolve(OutputLock.FILE_NAME), "host=" + AtomicFiles.hostTag() + "\npid=" + p.pid() +
			"\nstarted=2026-01-01T00:00:00Z\nrun=killed run\n");
		OutputLock.acquire(dir, "resumed run").close();
	}

	@Test
	void aLockOfAnotherHostIsReportedNotTakenOver(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve(OutputLock.FILE_NAME), "host=node17\npid=1234\nstarted=2026-01-01T00:00:00Z\n" +
			"run=sam-spark job\n");
		UnsafeOutputException e = assertThrows(UnsafeOutputException.class, () -> OutputLock.acquire(dir, "mine"));
		assertTrue(e.getMessage().contains("host node17") && e.getMessage().contains("delete " + dir.resolve(
			OutputLock.FILE_NAME)), e.getMessage());
	}
}
