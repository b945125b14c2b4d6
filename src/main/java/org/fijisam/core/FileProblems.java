package org.fijisam.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns file-system failures into one sentence for the user: what happened to which file, the
 * real cause (permission, full disk, a folder where a file was expected...) and what to do. The
 * CLI, the Fiji dialogs and macros all show these words, so the same fault reads the same
 * everywhere, and no exception class name or stack trace ever reaches the user.
 */
public final class FileProblems {

	private FileProblems() {}

	/**
	 * Describes a failure to read or write {@code file}.
	 *
	 * @param action what was being done, e.g. "read the image" or "write the label image"
	 */
	public static String describe(String action, Path file, Throwable e) {
		return "Cannot " + action + " " + file + ": " + cause(file, e);
	}

	/**
	 * The cause of an I/O failure in plain words, with what to do; {@code file} may be null
	 * (unknown). The whole chain of causes is read: image encoders wrap the system's "No space
	 * left on device" in their own words.
	 */
	public static String cause(Path file, Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			String known = known(file, t);
			if (known != null) return known;
		}
		String detail = plain(e);
		return detail.isEmpty() ? "an input/output error occurred. Check the disk and run again." : detail + ".";
	}

	private static String known(Path file, Throwable e) {
		if (e instanceof AccessDeniedException) return "permission denied. Check the permissions of " + where(file,
			(FileSystemException) e) + ", or choose another location.";
		if (e instanceof NoSuchFileException) return where(file, (FileSystemException) e) +
			" does not exist. Check the spelling of the path.";
		if (e instanceof NotDirectoryException) return "a part of the path is a file, not a folder.";
		if (e instanceof FileAlreadyExistsException) return where(file, (FileSystemException) e) + " already exists.";
		if (e instanceof DirectoryNotEmptyException) return "it is a folder that is not empty.";
		if (e instanceof FileSystemLoopException) return "the path contains a loop of symbolic links.";
		if (e instanceof InvalidPathException) return "the file name cannot be represented in this system's " +
			"character set (" + System.getProperty("sun.jnu.encoding", "?") + "). Rename the file with plain " +
			"ASCII letters, or run with a UTF-8 locale (e.g. LANG=C.UTF-8).";
		String text = e.getMessage() == null ? "" : e.getMessage();
		String lower = text.toLowerCase(Locale.ROOT);
		if (lower.contains("no space left") || lower.contains("disk full") || lower.contains("not enough space"))
			return "the disk is full. Free some space or choose an output folder on another disk, then run again.";
		if (lower.contains("quota")) return "the disk quota is exceeded. Free some space or choose another " +
			"output folder, then run again.";
		if (lower.contains("read-only file system")) return "the disk is read-only. Choose an output folder on a " +
			"writable disk.";
		if (lower.contains("permission denied") || lower.contains("operation not permitted"))
			return "permission denied. Check the permissions of " + (file == null ? "the file" : file) +
				", or choose another location.";
		if (lower.contains("is a directory")) return "it is a folder, not a file.";
		if (lower.contains("input/output error")) return "the disk reported an input/output error. Check the disk " +
			"or the network share, then run again.";
		return null;
	}

	/** An exception's own text without Java class names, for causes not recognised above. */
	private static String plain(Throwable e) {
		String text = e.getMessage();
		if (text == null || text.isBlank()) return "";
		text = text.trim();
		// Messages like "java.io.EOFException: ..." or "foo: Permission denied" keep only the human part.
		text = text.replaceAll("\\b(?:java|javax|sun|jdk)\\.[\\w.$]+(?:Exception|Error):?\\s*", "");
		while (text.endsWith(".")) text = text.substring(0, text.length() - 1);
		return text;
	}

	private static String where(Path file, FileSystemException e) {
		String other = e.getFile();
		if (file == null) return other != null ? other : "the file";
		return other != null && !other.equals(String.valueOf(file)) ? other : String.valueOf(file);
	}

	/** Whether an I/O failure means the disk is full (then the user must act before anything else can go on). */
	public static boolean isDiskFull(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			String m = t.getMessage();
			if (m != null && (m.toLowerCase(Locale.ROOT).contains("no space left") || m.toLowerCase(Locale.ROOT)
				.contains("disk full"))) return true;
		}
		return false;
	}

	/** An action on a file that may fail with an I/O error. */
	@FunctionalInterface
	public interface FileAction {
		void run() throws IOException;
	}

	/**
	 * Runs {@code a}; an I/O failure becomes the checked error the entry points show as is, e.g.
	 * {@code attempt("write the label image", path, () -> ...)}.
	 */
	public static void attempt(String action, Path file, FileAction a) throws SamException {
		try {
			a.run();
		}
		catch (IOException e) {
			throw error(action, file, e);
		}
	}

	/** Wraps an I/O failure into the checked error the entry points show as is. */
	public static SamException error(String action, Path file, IOException e) {
		return new SamException(describe(action, file, e), e);
	}
}
