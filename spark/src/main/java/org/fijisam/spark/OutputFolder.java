package org.fijisam.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.FileProblems;

/**
 * The shared folder every task writes into, checked on the driver before the job starts: a
 * folder that cannot be made or written would otherwise fail every task, after the cluster
 * was started and every image read.
 */
final class OutputFolder {

	private OutputFolder() {}

	/** Makes the folder if needed and proves it writable with a real (atomic) write; throws with what to do. */
	static Path prepare(String output) throws OutputFolderException {
		Path dir = Path.of(output).toAbsolutePath().normalize();
		Path probe = dir.resolve(".sam-spark-probe-" + UUID.randomUUID() + ".txt");
		try {
			Files.createDirectories(dir);
			AtomicFiles.write(probe, scratch -> Files.writeString(scratch, "written by sam-spark to check the folder\n"));
			Files.delete(probe);
		}
		catch (IOException | RuntimeException e) {
			throw new OutputFolderException(FileProblems.describe("write into the output folder", dir, e) +
				" Give a folder that this machine and, on a cluster, every node can write to (--output).");
		}
		return dir;
	}

	/** The output folder cannot be used: nothing was started. */
	static final class OutputFolderException extends Exception {

		OutputFolderException(String message) {
			super(message);
		}
	}
}
