package org.fijisam.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.fijisam.core.SamException;

/**
 * The models that can be installed by name: {@code /models/catalog.json} in the jar, where each
 * file names the publisher's URL, size and hash and where they were found. The system property
 * {@value #PROPERTY} names another catalog file (a site mirror, or a test server) in the same
 * format.
 */
public final class ModelCatalog {

	/** A catalog file that replaces the built-in one. */
	public static final String PROPERTY = "sam.models.catalog";
	static final String RESOURCE = "/models/catalog.json";

	private final List<CatalogEntry> entries;
	private final String origin;

	private ModelCatalog(List<CatalogEntry> entries, String origin) {
		this.entries = Collections.unmodifiableList(entries);
		this.origin = origin;
	}

	/** The catalog in use: the file named by {@value #PROPERTY}, else the built-in one. */
	public static ModelCatalog current() throws SamException {
		String file = System.getProperty(PROPERTY, "").trim();
		return file.isEmpty() ? builtIn() : load(Path.of(file));
	}

	public static ModelCatalog builtIn() throws SamException {
		try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
			if (in == null) throw new SamException("The model catalog " + RESOURCE + " is missing from the plugin " +
				"jar. Reinstall the plugin.");
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the built-in catalog");
		}
		catch (IOException e) {
			throw new SamException("Cannot read the built-in model catalog: " + e.getMessage(), e);
		}
	}

	public static ModelCatalog load(Path file) throws SamException {
		try {
			return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), file.toString());
		}
		catch (IOException e) {
			throw new SamException("Cannot read the model catalog " + file + " (set by -D" + PROPERTY + "): " + e
				.getMessage(), e);
		}
	}

	static ModelCatalog parse(String json, String origin) throws SamException {
		try {
			List<CatalogEntry> entries = new ArrayList<>();
			for (JsonElement m : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("models")) {
				JsonObject o = m.getAsJsonObject();
				List<CatalogFile> files = new ArrayList<>();
				JsonArray fs = o.getAsJsonArray("files");
				for (JsonElement f : fs) {
					JsonObject fo = f.getAsJsonObject();
					files.add(new CatalogFile(text(fo, "role"), text(fo, "url"), text(fo, "file"), fo.has("bytes") &&
						!fo.get("bytes").isJsonNull() ? fo.get("bytes").getAsLong() : -1, FileHash.parse(text(fo,
							"hash")), text(fo, "url_source"), text(fo, "hash_source")));
				}
				String name = text(o, "name");
				ModelStore.checkName(name);
				entries.add(new CatalogEntry(name, text(o, "title"), text(o, "family"), text(o, "size"), text(o,
					"licence"), files));
			}
			return new ModelCatalog(entries, origin);
		}
		catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException |
			UnsupportedOperationException e)
		{
			throw new SamException("The model catalog " + origin + " is not valid: " + e.getMessage(), e);
		}
	}

	private static String text(JsonObject o, String key) {
		JsonElement e = o.get(key);
		return e == null || e.isJsonNull() ? null : e.getAsString();
	}

	public List<CatalogEntry> entries() {
		return entries;
	}

	/** The entry of that name, or null. */
	public CatalogEntry find(String name) {
		for (CatalogEntry e : entries)
			if (e.name.equals(name)) return e;
		return null;
	}

	/** The entry of that name, or an error that lists the names there are. */
	public CatalogEntry get(String name) throws SamException {
		CatalogEntry e = find(name);
		if (e != null) return e;
		List<String> names = new ArrayList<>();
		for (CatalogEntry c : entries)
			names.add(c.name);
		throw new SamException("There is no model named '" + name + "' in " + origin + ". Known: " + String.join(
			", ", names) + ".");
	}

	/** Where the catalog came from, for messages. */
	public String origin() {
		return origin;
	}
}
