package org.fijisam.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.Hashes;
import org.fijisam.core.ModelException;

/**
 * A model folder without sam.json: reads its ONNX graphs, recognises the export
 * ({@link ExportLayouts}), and produces the descriptor with the files' SHA-256, written into the
 * folder only where nothing stands at sam.json and the folder is writable.
 */
public final class ExportFolder {

	/** What a folder was recognised as, and the sam.json text for it. */
	public static final class Inspection {
		public final Path folder;
		public final ExportLayouts.Recognition recognition;
		public final Map<String, OnnxGraph> graphs;
		public final String json;

		Inspection(Path folder, ExportLayouts.Recognition recognition, Map<String, OnnxGraph> graphs, String json) {
			this.folder = folder;
			this.recognition = recognition;
			this.graphs = graphs;
			this.json = json;
		}

		/** Layout, family, files with their tensors, and whether the plugin can run it. */
		public String summary() {
			ExportLayouts.Recognition r = recognition;
			StringBuilder sb = new StringBuilder("recognised: layout ").append(r.layout).append(", family ")
				.append(r.family).append('\n');
			for (Map.Entry<String, String> f : r.files.entrySet())
				sb.append("  ").append(f.getKey()).append(": ").append(graphs.get(f.getValue()).describe().replace(
					"\n", "\n  ")).append('\n');
			for (String n : r.notes)
				sb.append("  note: ").append(n).append('\n');
			if (r.notLoadable != null) sb.append("  cannot run yet: ").append(r.notLoadable).append('\n');
			else if (!Models.families().contains(r.family)) sb.append("  cannot run yet: family ").append(r.family)
				.append(" is not supported by this version of the plugin (supported: ").append(Models.families())
				.append(").\n");
			else sb.append("  loadable: yes\n");
			return sb.toString();
		}

		/** Whether this plugin can load the recognised model. */
		public boolean loadable() {
			return recognition.notLoadable == null && Models.families().contains(recognition.family);
		}
	}

	private ExportFolder() {}

	/** Recognises the ONNX files in {@code folder}; an unknown layout is a ModelException listing their tensors. */
	public static Inspection inspect(Path folder, GraphReader reader) throws ModelException {
		if (!Files.isDirectory(folder)) throw new ModelException("The model folder " + folder + " does not exist.");
		Map<String, OnnxGraph> graphs = new LinkedHashMap<>();
		for (Path f : onnxFiles(folder))
			graphs.put(f.getFileName().toString(), reader.read(f));
		String name = folder.toAbsolutePath().normalize().getFileName() != null ? folder.toAbsolutePath().normalize()
			.getFileName().toString() : "model";
		ExportLayouts.Recognition r = ExportLayouts.recognise(name, graphs, folder.toString());
		JsonObject d = r.descriptor.deepCopy();
		JsonObject hashes = new JsonObject();
		for (String file : new TreeMap<>(invert(r.files)).keySet()) {
			try {
				hashes.addProperty(file, Hashes.sha256Hex(folder.resolve(file)));
			}
			catch (IOException e) {
				throw new ModelException("Cannot read " + folder.resolve(file) + ": " + e.getMessage(), e);
			}
		}
		d.add("sha256", hashes);
		String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(d) + "\n";
		return new Inspection(folder, r, graphs, json);
	}

	/**
	 * Writes sam.json into the folder unless one exists (never replaced) or the folder is
	 * read-only; says which in words.
	 */
	public static String write(Inspection in) {
		Path target = in.folder.resolve(ModelDescriptor.FILE_NAME);
		if (Files.exists(target)) return target + " already exists and was left as it is.";
		if (!Files.isWritable(in.folder)) return "the folder is read-only: sam.json was not written (the " +
			"descriptor is kept in memory for this run).";
		try {
			boolean written = AtomicFiles.writeNew(target, tmp -> Files.write(tmp, in.json.getBytes(
				StandardCharsets.UTF_8)));
			return written ? "wrote " + target : target + " appeared meanwhile and was left as it is.";
		}
		catch (IOException e) {
			return "sam.json could not be written (" + e.getMessage() + "); the descriptor is kept in memory " +
				"for this run.";
		}
	}

	static List<Path> onnxFiles(Path folder) throws ModelException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx") && Files
				.isRegularFile(p)).sorted().collect(Collectors.toList());
		}
		catch (IOException e) {
			throw new ModelException("Cannot list the model folder " + folder + ": " + e.getMessage(), e);
		}
	}

	private static Map<String, String> invert(Map<String, String> roles) {
		Map<String, String> out = new LinkedHashMap<>();
		for (Map.Entry<String, String> e : roles.entrySet())
			out.put(e.getValue(), e.getKey());
		return out;
	}
}
