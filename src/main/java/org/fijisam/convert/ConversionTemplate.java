package org.fijisam.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The graph template of one architecture and size, read from the class path
 * ({@code /templates/FAMILY/SIZE/}): ONNX graphs whose weights are external data, and
 * manifest.json saying which checkpoint tensor lies at which offset of which weights file.
 * Made by training/official_arch/templates.py; the graphs are copied as they are, so the
 * converter never parses ONNX.
 */
public final class ConversionTemplate {

	/** Where the shipped templates live on the class path. */
	static final String ROOT = "/templates/";

	/**
	 * The model catalog's names for the SAM 2.1 sizes (those of the official download links) and the
	 * template names (those of the official configs, sam2.1_hiera_t.yaml ...): both are accepted.
	 */
	private static final Map<String, String> SIZE_ALIASES = Map.of("hiera_tiny", "hiera_t", "hiera_small", "hiera_s",
		"hiera_base_plus", "hiera_b+", "hiera_large", "hiera_l");

	/** One tensor of a weights file: its checkpoint name and byte offset (float32 little-endian). */
	public static final class Slot {
		public final String name;
		public final long offset;

		Slot(String name, long offset) {
			this.name = name;
			this.offset = offset;
		}
	}

	public final String family;
	public final String size;
	/** Every tensor the checkpoint must hold, in state-dict order, with its shape. */
	public final Map<String, long[]> tensors;
	/** Graph file -> the weights file it reads. */
	public final Map<String, String> graphs;
	/** Weights file -> its tensors in file order. */
	public final Map<String, List<Slot>> weights;
	/** The model folder's sam.json, less name and sha256. */
	public final JsonObject descriptor;

	private ConversionTemplate(String family, String size, Map<String, long[]> tensors, Map<String, String> graphs,
		Map<String, List<Slot>> weights, JsonObject descriptor)
	{
		this.family = family;
		this.size = size;
		this.tensors = Collections.unmodifiableMap(tensors);
		this.graphs = Collections.unmodifiableMap(graphs);
		this.weights = Collections.unmodifiableMap(weights);
		this.descriptor = descriptor;
	}

	/** The template of a family and size, or an exception naming the ones this jar ships. */
	public static ConversionTemplate load(String family, String size) throws ConversionException {
		size = canonicalSize(size);
		if (!family.matches("[a-z0-9_.]+") || !size.matches("[a-z0-9_.+]+")) throw unknown(family, size);
		String text;
		try (InputStream in = ConversionTemplate.class.getResourceAsStream(prefix(family, size) + "manifest.json")) {
			if (in == null) throw unknown(family, size);
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new ConversionException("Cannot read the conversion template " + family + " " + size + ": " + e
				.getMessage(), e);
		}
		try {
			return parse(JsonParser.parseString(text).getAsJsonObject());
		}
		catch (JsonParseException | IllegalStateException | NullPointerException | NumberFormatException e) {
			throw new ConversionException("The conversion template " + family + " " + size +
				" in the plugin jar is damaged (" + e.getMessage() + "). Reinstall the plugin.", e);
		}
	}

	/** Whether a template for this family and size is on the class path (the jar's, or a test's). */
	public static boolean exists(String family, String size) {
		size = canonicalSize(size);
		return family.matches("[a-z0-9_.]+") && size.matches("[a-z0-9_.+]+") && ConversionTemplate.class.getResource(
			prefix(family, size) + "manifest.json") != null;
	}

	/** The template's name for a size: "hiera_t" for the catalog's "hiera_tiny"; other names as given. */
	public static String canonicalSize(String size) {
		return SIZE_ALIASES.getOrDefault(size, size);
	}

	/** The family/size pairs this jar ships, from templates/index.txt, e.g. "sam1 vit_b". */
	public static List<String> available() {
		List<String> out = new ArrayList<>();
		try (InputStream in = ConversionTemplate.class.getResourceAsStream(ROOT + "index.txt")) {
			if (in == null) return out;
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
				if (!line.isBlank() && !line.startsWith("#")) out.add(line.trim());
		}
		catch (IOException e) {
			// the list only feeds messages; an unreadable one means "none known"
		}
		return out;
	}

	/** The bytes of one graph of the template. */
	byte[] graph(String file) throws ConversionException {
		try (InputStream in = ConversionTemplate.class.getResourceAsStream(prefix(family, size) + file)) {
			if (in == null) throw new ConversionException("The conversion template " + family + " " + size +
				" lacks " + file + ". Reinstall the plugin.");
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new ConversionException("Cannot read " + file + " of the conversion template: " + e.getMessage(), e);
		}
	}

	private static String prefix(String family, String size) {
		return ROOT + family + "/" + size + "/";
	}

	private static ConversionException unknown(String family, String size) {
		return new ConversionException("There is no conversion template for family \"" + family + "\" size \"" +
			size + "\". This plugin converts: " + String.join(", ", available()) + ".");
	}

	private static ConversionTemplate parse(JsonObject m) {
		Map<String, long[]> tensors = new LinkedHashMap<>();
		for (JsonElement e : m.getAsJsonArray("tensors")) {
			JsonObject t = e.getAsJsonObject();
			List<Long> shape = new ArrayList<>();
			for (JsonElement d : t.getAsJsonArray("shape"))
				shape.add(d.getAsLong());
			tensors.put(t.get("name").getAsString(), shape.stream().mapToLong(Long::longValue).toArray());
		}
		Map<String, String> graphs = new LinkedHashMap<>();
		for (Map.Entry<String, JsonElement> g : m.getAsJsonObject("graphs").entrySet())
			graphs.put(g.getKey(), g.getValue().getAsString());
		Map<String, List<Slot>> weights = new LinkedHashMap<>();
		for (Map.Entry<String, JsonElement> w : m.getAsJsonObject("weights").entrySet()) {
			List<Slot> slots = new ArrayList<>();
			for (JsonElement e : w.getValue().getAsJsonArray()) {
				JsonObject s = e.getAsJsonObject();
				String name = s.get("name").getAsString();
				if (!tensors.containsKey(name)) throw new IllegalStateException(w.getKey() + " names " + name +
					", which is not among the tensors");
				slots.add(new Slot(name, s.get("offset").getAsLong()));
			}
			weights.put(w.getKey(), Collections.unmodifiableList(slots));
		}
		return new ConversionTemplate(m.get("family").getAsString(), m.get("size").getAsString(), tensors, graphs,
			weights, m.getAsJsonObject("descriptor"));
	}
}
