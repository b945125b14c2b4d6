package org.fijisam.spark;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.batch.BatchInputs;

/**
 * The job's input images, listed once on the driver: a folder (its TIFF, PNG and JPEG images,
 * as the Fiji batch takes them) or a glob such as {@code /data/*.tif} or {@code /data/**}{@code /*.tif}.
 */
final class InputListing {

	private InputListing() {}

	/** The images, sorted; throws with what to do when there are none. */
	static List<Path> list(String input) throws SamException {
		if (!isGlob(input)) {
			Path folder = Path.of(input).toAbsolutePath().normalize();
			if (Files.isRegularFile(folder)) return List.of(folder);
			// The batch pipeline's listing: the same extensions and messages as sam-cli auto (never empty).
			return BatchInputs.list(folder);
		}
		Path base = globBase(input);
		if (!Files.isDirectory(base)) throw new UnsupportedImageException("The input pattern " + input +
			" starts in " + base + ", which is not a folder; check the path.");
		String pattern = absolutePattern(input);
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
		// Only as deep as the pattern reaches: /data/*.tif must not walk every subfolder of /data.
		String below = pattern.substring(base.toString().length());
		int depth = below.contains("**") ? Integer.MAX_VALUE : (int) below.chars().filter(c -> c == '/').count();
		try (Stream<Path> files = Files.walk(base, depth)) {
			List<Path> matches = files.filter(p -> matcher.matches(p) && Files.isRegularFile(p) && !p.getFileName()
				.toString().startsWith(".")).sorted().collect(Collectors.toList());
			if (matches.isEmpty()) throw new UnsupportedImageException("The input pattern " + input +
				" matches no file; check the pattern (quote it, so that the shell does not expand it) and the folder " +
				base + ".");
			return matches;
		}
		catch (IOException | java.io.UncheckedIOException e) {
			throw new UnsupportedImageException(FileProblems.describe("list the folder", base, e));
		}
	}

	static boolean isGlob(String input) {
		return input.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
	}

	/** The longest leading folder of the pattern without glob characters: where the search starts. */
	static Path globBase(String input) {
		String abs = absolutePattern(input);
		int firstGlob = 0;
		while (!isGlob(abs.substring(0, firstGlob + 1)))
			firstGlob++;
		int slash = abs.lastIndexOf('/', firstGlob);
		return Path.of(slash <= 0 ? "/" : abs.substring(0, slash));
	}

	private static String absolutePattern(String input) {
		return input.startsWith("/") ? input : Path.of("").toAbsolutePath() + "/" + input;
	}
}
