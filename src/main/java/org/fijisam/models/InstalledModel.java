package org.fijisam.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;

/**
 * What {@value #RECORD} in an installed model's folder says: name, family, size, the checkpoint
 * files with the hash each was verified against (the publisher's, or the SHA-256 computed at
 * install where none is published), whether it was converted to ONNX, and the last verification.
 */
public final class InstalledModel {

	public static final String RECORD = "install.json";
	/** The subfolder that holds the verified checkpoint files. */
	public static final String CHECKPOINTS = "checkpoint";

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	/** One verified file. */
	public static final class File {
		public String role;
		public String file;
		public long bytes;
		/** The hash checked at install: "xxh128:...", "sha256:..." or "gitblob:...". */
		public String hash;
		/** "publisher" or "computed at install" (none was published). */
		public String hashOrigin;
		/** Always recorded, whatever the publisher's algorithm, so a later check needs no catalog. */
		public String sha256;
		public String url;
	}

	public String name;
	public String title;
	public String family;
	public String size;
	public String licence;
	/** The catalog entry it came from, or null for an imported file that matched none. */
	public String catalogEntry;
	public String installed;
	public List<File> files = new ArrayList<>();
	/** Whether the folder holds a converted model (sam.json + ONNX). */
	public boolean converted;
	/** Why it was not converted, or what the converter said. */
	public String conversionNote;
	/** Whether the last verification passed, and when it ran. */
	public boolean verified;
	public String verifiedAt;

	private transient Path folder;

	public Path folder() {
		return folder;
	}

	public Path checkpoint(File f) {
		return folder.resolve(CHECKPOINTS).resolve(f.file);
	}

	public List<File> files() {
		return Collections.unmodifiableList(files);
	}

	/** Bytes on disk (checkpoint and converted files). */
	public long sizeOnDisk() {
		return ModelStore.sizeOnDisk(folder);
	}

	static InstalledModel read(Path folder) throws SamException {
		Path p = folder.resolve(RECORD);
		try {
			InstalledModel m = GSON.fromJson(new String(Files.readAllBytes(p), StandardCharsets.UTF_8),
				InstalledModel.class);
			if (m == null || m.name == null) throw new JsonParseException("no name");
			if (m.files == null) m.files = new ArrayList<>();
			m.folder = folder;
			return m;
		}
		catch (IOException e) {
			throw FileProblems.error("read", p, e);
		}
		catch (JsonParseException e) {
			throw new SamException(p + " is damaged (" + e.getMessage() + "). Remove the model and install it again.",
				e);
		}
	}

	/** Writes the record into {@code folder} atomically. */
	void write(Path folder) throws SamException {
		this.folder = folder;
		Path p = folder.resolve(RECORD);
		byte[] json = (GSON.toJson(this) + "\n").getBytes(StandardCharsets.UTF_8);
		FileProblems.attempt("write", p, () -> AtomicFiles.write(p, s -> Files.write(s, json)));
	}
}
