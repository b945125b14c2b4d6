package org.fijisam.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a crash or an error never leaves a half-written output: the content
 * goes to a temporary file beside the target, which is then moved into place.
 */
public final class AtomicFiles {

	/** Writes a file at the given (temporary) path. */
	@FunctionalInterface
	public interface Writer {
		void write(Path temporary) throws IOException;
	}

	private AtomicFiles() {}

	public static void write(Path target, Writer writer) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		if (dir != null) Files.createDirectories(dir);
		String name = target.getFileName().toString();
		int dot = name.lastIndexOf('.');
		// Keep the extension: some writers pick the format from it.
		String suffix = dot >= 0 ? name.substring(dot) : ".tmp";
		// A fresh name, not Files.createTempFile: that creates the file owner-only (0600) and the
		// output would keep those permissions after the move.
		Path tmp = dir.resolve("." + (dot >= 0 ? name.substring(0, dot) : name) + "-partial-" + java.util.UUID
			.randomUUID() + suffix);
		try {
			writer.write(tmp);
			if (!Files.isRegularFile(tmp)) throw new IOException("nothing was written to " + target);
			try {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (java.nio.file.AtomicMoveNotSupportedException e) {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}
}
