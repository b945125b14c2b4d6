package org.fijisam.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place that decides where an output may be written, asked before any long work
 * starts. An output is refused when it would replace one of the run's inputs (the same file
 * by any spelling: relative, through a symbolic link, a hard link), when two outputs of the
 * run would land on one path (compared as a case-insensitive file system would, since the
 * user's disk may be one), or when something other than a regular file already stands there
 * (a folder, a device node, a pipe, a symbolic link: writing "through" them is how data gets
 * lost). Replacing a regular file that is no input is allowed: that is how a rerun refreshes
 * its own results.
 */
public final class OutputGuard {

	private final Set<Path> inputPaths = new HashSet<>();
	private final Set<Object> inputKeys = new HashSet<>();
	private final Map<String, String> claimed = new HashMap<>();

	/** A guard that protects the given input files (and, for a folder, everything read from it is listed). */
	public OutputGuard(Collection<Path> inputs) {
		for (Path p : inputs)
			protect(p);
	}

	/** Adds one more file that must never be written. */
	public OutputGuard protect(Path input) {
		inputPaths.add(canonical(input));
		Object key = fileKey(input);
		if (key != null) inputKeys.add(key);
		return this;
	}

	/**
	 * Reserves {@code output} for this run.
	 *
	 * @param what what will be written there, for the message (e.g. "label image")
	 * @return the path, unchanged
	 * @throws UnsafeOutputException saying why the path cannot be used and what to do
	 */
	public Path claim(Path output, String what) throws UnsafeOutputException {
		check(output, what);
		Path c = canonical(output);
		String previous = claimed.putIfAbsent(c.toString().toLowerCase(Locale.ROOT), what);
		if (previous != null) throw new UnsafeOutputException("The " + what + " and the " + previous +
			" would both be written to " + output + ": give them different names.");
		return output;
	}

	/** The checks of {@link #claim} without reserving the path (for one-off writes). */
	public void check(Path output, String what) throws UnsafeOutputException {
		if (output.getFileName() == null) throw new UnsafeOutputException("Cannot write the " + what + " to '" + output +
			"': the path names no file.");
		if (inputPaths.contains(canonical(output))) throw overwritesInput(output, what);
		if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
			if (Files.isSymbolicLink(output)) throw new UnsafeOutputException("Cannot write the " + what + " to " + output +
				": it is a symbolic link, and outputs never replace a link or write through it. Choose another file " +
				"name.");
			if (Files.isDirectory(output)) throw new UnsafeOutputException("Cannot write the " + what + " to " + output +
				": it is a folder. Give a file name (for example " + output.resolve("result") + " with the right " +
				"extension).");
			if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) throw new UnsafeOutputException("Cannot write the " +
				what + " to " + output + ": it is not a regular file (a device, a pipe or a socket), and outputs only " +
				"replace regular files. Choose another file name.");
			Object key = fileKey(output);
			if (key != null && inputKeys.contains(key)) throw overwritesInput(output, what);
		}
		Path parent = output.toAbsolutePath().getParent();
		for (Path p = parent; p != null; p = p.getParent()) {
			if (Files.exists(p)) {
				if (!Files.isDirectory(p)) throw new UnsafeOutputException("Cannot write the " + what + " to " +
					output + ": " + p + " is a file, not a folder.");
				break;
			}
		}
	}

	private static UnsafeOutputException overwritesInput(Path output, String what) {
		return new UnsafeOutputException("Cannot write the " + what + " to " + output + ": that file is one of the " +
			"inputs, and writing it would destroy the input. Choose another file name or output folder.");
	}

	/**
	 * The path as the file system resolves it: links in the folders (and of the file itself)
	 * followed, "." and ".." removed; for a file that does not exist yet, its folder resolved.
	 */
	static Path canonical(Path p) {
		Path abs = p.toAbsolutePath().normalize();
		try {
			return abs.toRealPath();
		}
		catch (IOException e) {
			Path parent = abs.getParent();
			if (parent == null || abs.getFileName() == null) return abs;
			return canonical(parent).resolve(abs.getFileName());
		}
	}

	/** The file's identity (device and inode on Unix): equal for hard links to one file. */
	private static Object fileKey(Path p) {
		try {
			return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
		}
		catch (IOException | UnsupportedOperationException e) {
			return null;
		}
	}
}
