package org.fijisam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import org.fijisam.core.AtomicFiles;

/**
 * The mark that an input's outputs are complete: a small hidden file {@code .NAME.done.json}
 * in the output folder, written after every output, listing each output's size and SHA-256.
 * Resume trusts an image as done only when its record exists and every output it lists is
 * there, byte for byte: a 0-byte or truncated file, or one written by something else, is never
 * taken for a finished result. The records also tell which files of a folder are this tool's
 * outputs, so that a rerun with the output folder inside the input folder does not segment them.
 */
public final class CompletionRecord {

	private static final String SUFFIX = ".done.json";
	private static final int VERSION = 1;

	private CompletionRecord() {}

	/** Where the record of the outputs named {@code base} lives. */
	public static Path path(Path outputDir, String base) {
		return outputDir.resolve("." + base + SUFFIX);
	}

	/** Writes the record (atomically) once all {@code outputs} (in {@code outputDir}) are written. */
	public static void write(Path outputDir, String base, Path input, List<Path> outputs) throws IOException {
		JsonObject root = new JsonObject();
		root.addProperty("version", VERSION);
		root.addProperty("input", input.getFileName().toString());
		JsonObject files = new JsonObject();
		for (Path o : outputs) {
			JsonObject f = new JsonObject();
			f.addProperty("bytes", Files.size(o));
			f.addProperty("sha256", sha256(o));
			files.add(o.getFileName().toString(), f);
		}
		root.add("outputs", files);
		String text = new GsonBuilder().setPrettyPrinting().create().toJson(root);
		AtomicFiles.write(path(outputDir, base), tmp -> Files.write(tmp, text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * The file names of the outputs named {@code base} if they are complete (a record exists and
	 * every file it lists has the recorded size and hash), else null.
	 */
	public static Set<String> verifiedOutputs(Path outputDir, String base) {
		JsonObject outputs = outputs(path(outputDir, base));
		if (outputs == null) return null;
		try {
			for (Map.Entry<String, JsonElement> e : outputs.entrySet()) {
				Path f = outputDir.resolve(e.getKey());
				JsonObject info = e.getValue().getAsJsonObject();
				if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) != info.get("bytes").getAsLong()
					|| !sha256(f).equals(info.get("sha256").getAsString())) return null;
			}
			return outputs.keySet();
		}
		catch (IOException | RuntimeException e) {
			return null; // unreadable or malformed: the image is simply done again
		}
	}

	/**
	 * The file names in {@code inputFolder} that are this tool's outputs: those listed by the
	 * records of {@code outputDir} when it is the same folder (by any spelling), else none.
	 */
	public static Set<String> outputsIn(Path inputFolder, Path outputDir) {
		try {
			if (inputFolder != null && Files.isDirectory(outputDir) && Files.isSameFile(inputFolder, outputDir))
				return listedOutputs(outputDir);
		}
		catch (IOException e) {
			// not comparable: not the same folder
		}
		return new HashSet<>();
	}

	/** The file names listed as outputs by the records in {@code outputDir}. */
	public static Set<String> listedOutputs(Path outputDir) {
		Set<String> names = new HashSet<>();
		if (!Files.isDirectory(outputDir)) return names;
		try (DirectoryStream<Path> records = Files.newDirectoryStream(outputDir, ".*" + SUFFIX)) {
			for (Path r : records) {
				JsonObject outputs = outputs(r);
				if (outputs != null) names.addAll(outputs.keySet());
			}
		}
		catch (IOException | RuntimeException e) {
			// no records readable: nothing is known to be ours
		}
		return names;
	}

	private static JsonObject outputs(Path record) {
		if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) return null;
		try (Reader r = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
			JsonObject root = new Gson().fromJson(r, JsonObject.class);
			if (root == null || !root.has("version") || root.get("version").getAsInt() != VERSION) return null;
			return root.getAsJsonObject("outputs");
		}
		catch (IOException | JsonParseException | IllegalStateException | ClassCastException e) {
			return null;
		}
	}

	static String sha256(Path file) throws IOException {
		MessageDigest md;
		try {
			md = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
		}
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
			byte[] buf = new byte[1 << 16];
			while (in.read(buf) >= 0) {
				// the digest sees every byte read
			}
		}
		StringBuilder sb = new StringBuilder(64);
		for (byte b : md.digest())
			sb.append(String.format("%02x", b));
		return sb.toString();
	}
}
