package org.fijisam.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;

/**
 * The images of a run: one image file, every image of a folder, or the files a glob names
 * ({@code /data/plate1/*.tif}); sorted by name, hidden files left out, one list of extensions
 * for every entry point.
 */
public final class BatchInputs {

	public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "bmp", "gif",
		"pgm");

	private BatchInputs() {}

	/** Whether a text names several files by a pattern rather than one path. */
	public static boolean isGlob(String input) {
		return input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{");
	}

	public static List<Path> list(String input) throws SamException {
		if (input == null || input.trim().isEmpty()) throw new SamException("No input: give an image file, a " +
			"folder of images or a pattern such as /data/*.tif.");
		if (isGlob(input)) return glob(input.trim());
		return list(Path.of(input.trim()));
	}

	public static List<Path> list(Path input) throws SamException {
		if (Files.isRegularFile(input)) return List.of(input);
		if (!Files.exists(input)) throw new SamException("The input " + input + " does not exist. Check the " +
			"spelling of the path.");
		if (!Files.isDirectory(input)) throw new SamException("The input " + input + " is neither an image file " +
			"nor a folder (a device, a pipe or a socket). Give an image file or a folder of images.");
		List<Path> files = matching(input, null);
		if (files.isEmpty()) throw new SamException("No images (" + extensions() + ") in " + input + ".");
		return files;
	}

	/** The files a pattern names: the pattern applies to file names in its folder (no * in folders). */
	static List<Path> glob(String pattern) throws SamException {
		Path p = Path.of(pattern);
		Path folder = p.getParent() == null ? Path.of(".") : p.getParent();
		if (isGlob(folder.toString())) throw new SamException("The pattern " + pattern + " has wildcards in its " +
			"folder part; only the file name may have them (e.g. /data/plate1/*.tif).");
		if (!Files.isDirectory(folder)) throw new SamException("The folder of the pattern " + pattern +
			" does not exist: " + folder + ".");
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
		List<Path> files = matching(folder, matcher);
		if (files.isEmpty()) throw new SamException("The pattern " + pattern + " matches no image file (" +
			extensions() + ") in " + folder + ". Check the pattern, or give the folder.");
		return files;
	}

	private static List<Path> matching(Path folder, PathMatcher matcher) throws SamException {
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
			for (Path f : s) {
				String n = f.getFileName().toString();
				if (n.startsWith(".") || !IMAGE_EXTENSIONS.contains(extension(n)) || !Files.isRegularFile(f)) continue;
				if (matcher == null || matcher.matches(f.getFileName())) files.add(f);
			}
		}
		catch (IOException | UncheckedIOException e) {
			throw FileProblems.error("list the folder", folder, e instanceof IOException ? (IOException) e
				: ((UncheckedIOException) e).getCause());
		}
		Collections.sort(files);
		return files;
	}

	static String extension(String name) {
		int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
	}

	static String extensions() {
		List<String> e = new ArrayList<>(IMAGE_EXTENSIONS);
		Collections.sort(e);
		return String.join(", ", e);
	}
}
