package org.fijisam.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.process.ImageProcessor;

import org.fijisam.core.FileProblems;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.ij.ImageFiles;

/**
 * A folder laid out like the DSB2018 set: images/ID.png, labels/ID.png (instance labels),
 * index.json (a list of objects with an "id"). An optional split file selects a subset.
 */
final class Dataset {

	final Path root;
	final List<String> ids;

	private Dataset(Path root, List<String> ids) {
		this.root = root;
		this.ids = ids;
	}

	static Dataset open(Path root, Path splitFile, String subset, int limit) throws UnsupportedImageException {
		Path index = root.resolve("index.json");
		if (!Files.isRegularFile(index)) throw new UnsupportedImageException(root + " has no index.json; a dataset " +
			"folder holds images/, labels/ and index.json (a list of {\"id\": ...}).");
		List<String> ids = new ArrayList<>();
		try {
			JsonElement json = JsonParser.parseString(new String(Files.readAllBytes(index), StandardCharsets.UTF_8));
			JsonArray list = json.isJsonArray() ? json.getAsJsonArray() : json.getAsJsonObject().getAsJsonArray(
				"images");
			for (JsonElement e : list)
				ids.add(e.isJsonObject() ? e.getAsJsonObject().get("id").getAsString() : e.getAsString());
			if (splitFile != null) {
				JsonObject split = JsonParser.parseString(new String(Files.readAllBytes(splitFile),
					StandardCharsets.UTF_8)).getAsJsonObject();
				if (!split.has(subset)) throw new UnsupportedImageException(splitFile + " has no list '" + subset + "'.");
				Set<String> keep = new HashSet<>();
				for (JsonElement e : split.getAsJsonArray(subset))
					keep.add(e.getAsString());
				ids.removeIf(id -> !keep.contains(id));
			}
		}
		catch (IOException e) {
			Path which = e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e)
				.getFile() != null ? Path.of(((java.nio.file.FileSystemException) e).getFile()) : index;
			throw new UnsupportedImageException(FileProblems.describe("read the dataset list", which, e));
		}
		catch (RuntimeException e) {
			// Malformed JSON or a missing "id": the parser's text says where.
			throw new UnsupportedImageException("Cannot understand the dataset index " + index + (splitFile == null ? ""
				: " or the split file " + splitFile) + ": " + String.valueOf(e.getMessage()).replaceAll(
					"\\b(?:java|com\\.google)\\.[\\w.$]+(?:Exception|Error):?\\s*", "") + ". Check that it is valid JSON " +
				"(a list of {\"id\": ...}).");
		}
		if (limit > 0 && ids.size() > limit) ids = new ArrayList<>(ids.subList(0, limit));
		if (ids.isEmpty()) throw new UnsupportedImageException("No images selected in " + root + ".");
		Dataset d = new Dataset(root, ids);
		d.splitFile = splitFile;
		return d;
	}

	/** The split file the selection came from, or null: an input, never to be overwritten. */
	Path splitFile;

	/**
	 * Checks, before any model work, that every image and label file of the selection is there
	 * and readable, and that no label image is in colour: a missing file used to surface only
	 * after the whole computation, and nothing was written.
	 */
	void checkFiles() throws UnsupportedImageException {
		List<String> problems = new ArrayList<>();
		String firstReason = null;
		for (String id : ids) {
			for (Path p : new Path[] { imageFile(id), labelFile(id) }) {
				String why = unreadable(p);
				if (why != null) {
					problems.add(root.relativize(p).toString());
					if (firstReason == null) firstReason = why;
				}
			}
		}
		if (!problems.isEmpty()) {
			int shown = Math.min(10, problems.size());
			String list = String.join(", ", problems.subList(0, shown)) + (problems.size() > shown ? " and " +
				(problems.size() - shown) + " more" : "");
			throw new UnsupportedImageException(problems.size() + " file" + (problems.size() == 1 ? "" : "s") +
				" of the dataset " + root + " cannot be read: " + list + " (" + firstReason + "). Nothing was " +
				"evaluated; restore the files or choose another subset.");
		}
		for (String id : ids) {
			String colour = pngColour(labelFile(id));
			if (colour != null) throw notGrey(labelFile(id), colour);
		}
	}

	/** Whether {@code file} is one of the dataset's own files (then it must never be written). */
	boolean isInput(Path file) throws IOException {
		if (!Files.exists(file)) return false;
		for (Path p : new Path[] { root.resolve("index.json"), splitFile })
			if (p != null && Files.exists(p) && Files.isSameFile(p, file)) return true;
		Path dir = file.toRealPath().getParent();
		for (String sub : new String[] { "images", "labels" }) {
			Path d = root.resolve(sub);
			if (Files.isDirectory(d) && Files.isSameFile(d, dir)) return true;
		}
		return false;
	}

	private static String unreadable(Path p) {
		if (Files.isDirectory(p)) return p.getFileName() + " is a folder";
		try (java.nio.channels.SeekableByteChannel c = Files.newByteChannel(p)) {
			return null;
		}
		catch (java.nio.file.NoSuchFileException e) {
			return "missing";
		}
		catch (IOException e) {
			return FileProblems.cause(p, e);
		}
	}

	/** "RGB" when a PNG's header says it holds colour (ImageJ would read an RGB image), else null. */
	private static String pngColour(Path png) {
		byte[] h = new byte[26];
		try (java.io.InputStream in = Files.newInputStream(png)) {
			if (in.readNBytes(h, 0, 26) < 26 || h[1] != 'P' || h[12] != 'I' || h[13] != 'H') return null;
		}
		catch (IOException e) {
			return null; // the full read explains it
		}
		int colourType = h[25];
		return colourType == 2 || colourType == 6 ? "RGB" : null;
	}

	private static UnsupportedImageException notGrey(Path file, String what) {
		return new UnsupportedImageException("Label images must be single-channel integer images (8/16/32-bit " +
			"grey); " + file + " is " + what + ". Save the labels as a 16-bit grey PNG with one value per object.");
	}

	private Path imageFile(String id) {
		return root.resolve("images").resolve(id + ".png");
	}

	private Path labelFile(String id) {
		return root.resolve("labels").resolve(id + ".png");
	}

	ImagePlus image(String id) throws UnsupportedImageException {
		return ImageFiles.open(imageFile(id));
	}

	int[] labels(String id, int width, int height) throws UnsupportedImageException {
		Path file = labelFile(id);
		ImagePlus lab = ImageFiles.open(file);
		if (lab.getBitDepth() == 24 || lab.getNChannels() > 1) throw notGrey(file, lab.getBitDepth() == 24 ? "RGB"
			: "a " + lab.getNChannels() + "-channel image");
		if (lab.getStackSize() > 1) throw new UnsupportedImageException("Label images must be single planes; " +
			file + " has " + lab.getStackSize() + ".");
		if (lab.getWidth() != width || lab.getHeight() != height) throw new UnsupportedImageException(
			"labels/" + id + ".png is " + lab.getWidth() + "x" + lab.getHeight() + " but the image is " + width + "x" +
				height + ".");
		ImageProcessor ip = lab.getProcessor();
		int[] out = new int[width * height];
		for (int i = 0; i < out.length; i++)
			out[i] = (int) ip.getf(i);
		return out;
	}
}
