package org.fijisam.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that a crash, a full disk or an error never leaves a half-written output and
 * never destroys what stood at the path: the content goes to a scratch file beside the target,
 * is flushed to the disk and checked, and only then moved into place. Only a regular file is
 * ever replaced (never a link, a folder or a device).
 *
 * <p>Scratch files are named {@code .NAME-partial-HOST-PID-UUID.EXT}: they are deleted when the
 * write fails, when the JVM exits normally or is terminated (a shutdown hook), and, after a
 * {@code kill -9}, by the next run ({@link #removeLeftovers}), which deletes only those of dead
 * processes of this host, so that several workers can share one output folder.
 */
public final class AtomicFiles {

	/** Writes a file at the given (scratch) path. */
	@FunctionalInterface
	public interface Writer {
		void write(Path scratch) throws IOException;
	}

	/** Checks a written scratch file before it replaces the target; throws if it is incomplete. */
	@FunctionalInterface
	public interface Verifier {
		void verify(Path scratch) throws IOException;
	}

	/** Accepts any non-empty file (the default: every format but an empty table has a header). */
	public static final Verifier NON_EMPTY = f -> {
		if (Files.size(f) == 0) throw new IOException("nothing was written (0 bytes)");
	};

	private static final String HOST = hostTag();
	private static final long PID = ProcessHandle.current().pid();
	private static final Pattern LEFTOVER = Pattern.compile("^\\..*-(?:partial|spool)-([A-Za-z0-9]+)-(\\d+)-[0-9a-f-]{36}(\\..*)?$");
	private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
	private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

	static {
		// A terminated run (Ctrl-C, SIGTERM from a cluster scheduler) leaves no scratch files.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			for (Path p : IN_PROGRESS)
				try {
					Files.deleteIfExists(p);
				}
				catch (IOException e) {
					// nothing more can be done while the JVM exits; the next run removes it
				}
		}, "remove scratch files"));
	}

	private AtomicFiles() {}

	public static void write(Path target, Writer writer) throws IOException {
		write(target, writer, NON_EMPTY);
	}

	public static void write(Path target, Writer writer, Verifier verifier) throws IOException {
		refuseIfNotRegular(target);
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		// Every writer, not only the batch, sweeps what killed runs left in its folder (once per process).
		if (SWEPT.add(dir)) removeLeftovers(dir);
		String name = target.getFileName().toString();
		int dot = name.lastIndexOf('.');
		// Keep the extension: some writers pick the format from it.
		Path tmp = scratch(dir, dot > 0 ? name.substring(0, dot) : name, "partial", dot > 0 ? name.substring(dot)
			: "");
		try {
			writer.write(tmp);
			if (!Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) throw new IOException("nothing was written");
			// Some file systems report a full disk only when the data reaches it.
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ch.force(true);
			}
			verifier.verify(tmp);
			refuseIfNotRegular(target);
			try {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			release(tmp);
		}
	}

	/**
	 * Writes {@code target} only if nothing stands there, atomically: the finished scratch file is
	 * hard-linked to the target name, which fails if another process created it meanwhile (a
	 * rename would replace it). Where the file system has no hard links, a plain move that
	 * refuses an existing target is the fallback.
	 *
	 * @return false, writing nothing, when the target already exists
	 */
	public static boolean writeNew(Path target, Writer writer) throws IOException {
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return false;
		Path dir = target.toAbsolutePath().getParent();
		String name = target.getFileName().toString();
		int dot = name.lastIndexOf('.');
		Path tmp = scratch(dir, dot > 0 ? name.substring(0, dot) : name, "partial", dot > 0 ? name.substring(dot)
			: "");
		try {
			writer.write(tmp);
			try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
				ch.force(true);
			}
			NON_EMPTY.verify(tmp);
			try {
				Files.createLink(target, tmp);
			}
			catch (FileAlreadyExistsException e) {
				return false;
			}
			catch (UnsupportedOperationException | FileSystemException e) {
				if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return false;
				Files.move(tmp, target);
			}
			return true;
		}
		finally {
			release(tmp);
		}
	}

	/**
	 * A fresh scratch path in {@code dir}, removed by the shutdown hook if the JVM exits before
	 * {@link #release} (a fresh name, not Files.createTempFile: that creates the file owner-only
	 * and a moved output would keep those permissions).
	 */
	public static Path scratch(Path dir, String stem, String kind, String suffix) {
		Path p = dir.resolve("." + stem + "-" + kind + "-" + HOST + "-" + PID + "-" + UUID.randomUUID() + suffix);
		IN_PROGRESS.add(p);
		return p;
	}

	/** Deletes a scratch file made by {@link #scratch}. */
	public static void release(Path scratch) throws IOException {
		try {
			Files.deleteIfExists(scratch);
		}
		finally {
			IN_PROGRESS.remove(scratch);
		}
	}

	/**
	 * Deletes the scratch files that killed runs on this host left in {@code dir}; those of
	 * running processes and of other hosts are kept.
	 *
	 * @return how many were deleted
	 */
	public static int removeLeftovers(Path dir) {
		if (!Files.isDirectory(dir)) return 0;
		int n = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*")) {
			for (Path f : files) {
				Matcher m = LEFTOVER.matcher(f.getFileName().toString());
				if (!m.matches() || !m.group(1).equals(HOST)) continue;
				long pid = Long.parseLong(m.group(2));
				if (pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
				if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) n++;
				// a scratch folder (a model conversion assembles one before renaming it into place)
				else if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) && deleteTree(f)) n++;
			}
		}
		catch (IOException | RuntimeException e) {
			// Cleaning is a courtesy: a folder we cannot list is reported by the write that needs it.
		}
		return n;
	}

	/** Deletes a folder and what it holds, never following links; false if something stayed. */
	static boolean deleteTree(Path dir) {
		try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
			for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
			return true;
		}
		catch (IOException | RuntimeException e) {
			return false;
		}
	}

	private static void refuseIfNotRegular(Path target) throws IOException {
		if (Files.isSymbolicLink(target)) throw new IOException("it is a symbolic link, which an output never " +
			"replaces; choose another file name");
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS))
			throw new IOException(Files.isDirectory(target) ? "it is a folder" : "it is not a regular file (a " +
				"device, a pipe or a socket), which an output never replaces; choose another file name");
	}

	static String hostTag() {
		String h = System.getenv("HOSTNAME");
		if (h == null || h.isBlank()) {
			try {
				h = java.net.InetAddress.getLocalHost().getHostName();
			}
			catch (IOException | RuntimeException e) {
				h = "host";
			}
		}
		// Only characters that are safe in a file name and cannot be confused with the separators.
		String tag = h.replaceAll("[^A-Za-z0-9]", "");
		return tag.isEmpty() ? "host" : tag;
	}
}
