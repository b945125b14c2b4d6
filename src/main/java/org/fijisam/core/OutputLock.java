package org.fijisam.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run at a time per output folder. Two runs writing into one folder would each skip or redo
 * the other's images on a guess and mix two settings in one result set; the second run is
 * stopped before any work instead, with who holds the folder. The lock is a small file naming
 * the holder (host, process, start, command); a lock left by a process of this host that no
 * longer runs is taken over, one of another host is reported (this host cannot tell whether
 * that process lives). {@link #acquireFile} locks anything else the same way (the model store
 * locks a model name while it is installed).
 */
public final class OutputLock implements AutoCloseable {

	public static final String FILE_NAME = ".segment-anything-run.lock";

	private final Path file;
	private final Thread cleanup;
	private boolean released;

	private OutputLock(Path file) {
		this.file = file;
		// Ctrl-C or a kill (SIGTERM) must not leave the folder locked for the next run.
		this.cleanup = new Thread(this::delete, "release " + file);
		Runtime.getRuntime().addShutdownHook(cleanup);
	}

	/** Builds the error for a lock that another live process (or this one) holds. */
	@FunctionalInterface
	public interface Busy {
		/**
		 * @param holder the holder in words: "RUN (host H, process P, since T)"
		 * @param lockFile the file to delete by hand if that process is gone
		 */
		SamException error(String holder, Path lockFile);
	}

	/**
	 * Locks {@code dir} (which must exist) for this process.
	 *
	 * @param what the run, in words, for the message another run would show
	 * @throws UnsafeOutputException when another run holds the folder
	 */
	public static OutputLock acquire(Path dir, String what) throws SamException {
		return acquireFile(dir.resolve(FILE_NAME), what, (holder, file) -> new UnsafeOutputException("Another run " +
			"is writing into " + dir + ": " + holder + ". Wait for it to end or give another output folder. If that " +
			"run is gone (its machine was switched off), delete " + file + "."));
	}

	/**
	 * Creates {@code file} (its folder must exist) naming this process as the holder, taking over
	 * the lock of an ended process of this host.
	 *
	 * @param what what this process does, in words, for the message another one would show
	 * @param busy the error when a live holder (another process, or another thread of this one) has it
	 */
	public static OutputLock acquireFile(Path file, String what, Busy busy) throws SamException {
		String me = "host=" + AtomicFiles.hostTag() + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant
			.now() + "\nrun=" + what.replace('\n', ' ') + "\n";
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				Files.write(file, me.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
				return new OutputLock(file);
			}
			catch (FileAlreadyExistsException e) {
				Map<String, String> holder = read(file);
				if (holder == null) continue; // released meanwhile
				if (isStale(holder)) {
					try {
						Files.deleteIfExists(file);
					}
					catch (IOException gone) {
						throw FileProblems.error("remove the lock left by an ended run", file, gone);
					}
					continue;
				}
				throw busy.error(holder.getOrDefault("run", "?") + " (host " + holder.getOrDefault("host", "?") +
					", process " + holder.getOrDefault("pid", "?") + ", since " + holder.getOrDefault("started", "?") +
					")", file);
			}
			catch (IOException e) {
				throw FileProblems.error("create the lock", file, e);
			}
		}
		throw busy.error("other processes that take and release it over and over", file);
	}

	/** A lock of a process of this host that has ended (killed, crashed). */
	private static boolean isStale(Map<String, String> holder) {
		if (!AtomicFiles.hostTag().equals(holder.get("host"))) return false;
		try {
			long pid = Long.parseLong(holder.getOrDefault("pid", ""));
			return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
		}
		catch (NumberFormatException e) {
			return false;
		}
	}

	private static Map<String, String> read(Path file) throws SamException {
		try {
			Map<String, String> m = new LinkedHashMap<>();
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				int eq = line.indexOf('=');
				if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
			}
			return m;
		}
		catch (NoSuchFileException e) {
			return null;
		}
		catch (IOException e) {
			throw FileProblems.error("read the lock", file, e);
		}
	}

	private synchronized void delete() {
		if (released) return;
		released = true;
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException e) {
			// the next run of this host takes it over, since this process will have ended
		}
	}

	@Override
	public void close() {
		delete();
		try {
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
		catch (IllegalStateException e) {
			// already shutting down: the hook runs anyway
		}
	}
}
