package org.fijisam.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamModel;
import org.fijisam.onnx.OnnxFamilies;

/**
 * The family -> loader registry, and the one way front ends load a model: the descriptor's
 * {@code family} picks the loader. The families that run in ONNX Runtime are registered here
 * from {@link OnnxFamilies}; this is the only class outside {@code org.fijisam.onnx} that names
 * that package (ArchitectureTest allows exactly this import), so the CLI, Fiji commands, SciJava
 * commands and the interactive tool depend on {@link SamModel} alone.
 */
public final class Models {

	private static final Map<String, ModelFamily> FAMILIES = new LinkedHashMap<>();

	static {
		for (ModelFamily f : OnnxFamilies.all())
			register(f);
	}

	private Models() {}

	/** Reads ONNX graphs' inputs and outputs (ONNX Runtime stays behind this registration point). */
	public static GraphReader graphReader() {
		return OnnxFamilies.graphReader();
	}

	/** Adds a family, or replaces the one of the same name (tests register fakes). */
	public static synchronized void register(ModelFamily family) {
		FAMILIES.put(family.name(), family);
	}

	/** The registered family names, in registration order. */
	public static synchronized List<String> families() {
		return new ArrayList<>(FAMILIES.keySet());
	}

	/** Loads the model with the loader of its descriptor's family; close it when done. */
	public static SamModel load(ModelSource source, ExecutionOptions options) throws ModelException {
		return family(source).load(source, options);
	}

	/** The family of a model source, or a message that lists the families there are. */
	public static synchronized ModelFamily family(ModelSource source) throws ModelException {
		ModelDescriptor d = source.descriptor();
		String name = d.family;
		ModelFamily f = name != null ? FAMILIES.get(name) : null;
		if (f != null) return f;
		String where = source.describe() + "/" + ModelDescriptor.FILE_NAME;
		throw new ModelException(where + (name == null ? " names no 'family'" : ": family '" + name +
			"' is not supported") + ". Supported: " + known() + ". Set 'family' in sam.json to one of them, or " +
			"update the plugin if a newer version supports this model.");
	}

	private static String known() {
		StringBuilder sb = new StringBuilder();
		for (ModelFamily f : FAMILIES.values())
			sb.append(sb.length() > 0 ? "; " : "").append(f.name()).append(" (").append(f.covers()).append(')');
		return sb.toString();
	}
}
