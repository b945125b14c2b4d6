package org.fijisam.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fijisam.core.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during the conversion (a small tmpfs, so the kernel itself says "no
 * space left"): the conversion fails with a message, and the disk holds nothing afterwards,
 * neither a half model folder nor scratch. Needs root to mount; skipped otherwise.
 */
class FullDiskConversionTest {

	static boolean sh(String... cmd) throws Exception {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		return p.waitFor() == 0;
	}

	@Test
	void aFullDiskLeavesNothingBehind(@TempDir Path tmp) throws Exception {
		Path disk = tmp.resolve("disk");
		Files.createDirectories(disk);
		// Room for part of the weights (the tiny model needs ~1.3 MB), not for the whole folder.
		assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", disk.toString()), "needs root to mount");
		try {
			Path out = disk.resolve("model");
			ConversionException e = assertThrows(ConversionException.class, () -> CheckpointConversion.convert(
				CheckpointConversionTest.tiny(), "sam1", "tiny", out, ProgressListener.NONE));
			System.out.println(e.getMessage());
			assertTrue(e.getMessage().contains("Nothing was left behind"), e.getMessage());
			assertEquals(List.of(), CheckpointConversionTest.files(disk), "the disk is empty again");
			// With room, the same conversion succeeds.
			assertTrue(sh("mount", "-o", "remount,size=8m", disk.toString()));
			CheckpointConversion.convert(CheckpointConversionTest.tiny(), "sam1", "tiny", out, ProgressListener.NONE);
			assertEquals(List.of("model"), CheckpointConversionTest.files(disk));
		}
		finally {
			sh("umount", "-l", disk.toString());
		}
	}
}
