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
		catch (IOException | RuntimeException e) {
			throw new UnsupportedImageException("Cannot read the dataset index " + index + " or split file: " + e
				.getMessage());
		}
		if (limit > 0 && ids.size() > limit) ids = new ArrayList<>(ids.subList(0, limit));
		if (ids.isEmpty()) throw new UnsupportedImageException("No images selected in " + root + ".");
		return new Dataset(root, ids);
	}

	ImagePlus image(String id) throws UnsupportedImageException {
		return ImageFiles.open(root.resolve("images").resolve(id + ".png"));
	}

	int[] labels(String id, int width, int height) throws UnsupportedImageException {
		ImagePlus lab = ImageFiles.open(root.resolve("labels").resolve(id + ".png"));
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
