package org.fijisam.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The base name of each input's outputs in a batch (NAME in NAME_labels.tif). Usually the file
 * name without its extension; inputs that would share one (a.tif and a.png, or A.tif and a.tif
 * on a disk that ignores case) keep their extension instead (a_tif, a_png), and a name still
 * taken gets a number (a_tif-2). The rule depends only on the sorted list of inputs, so a rerun
 * over the same folder finds the same names, which resume relies on.
 */
public final class OutputNames {

	private final Map<Path, String> names;
	private final List<String> renamed;

	private OutputNames(Map<Path, String> names, List<String> renamed) {
		this.names = names;
		this.renamed = renamed;
	}

	/** Names for the inputs, in their order (sort them first for a stable result). */
	public static OutputNames assign(List<Path> inputs) {
		Map<String, Integer> stems = new HashMap<>();
		for (Path p : inputs)
			stems.merge(key(stem(p)), 1, Integer::sum);
		Set<String> taken = new HashSet<>();
		Map<Path, String> names = new LinkedHashMap<>();
		List<String> renamed = new ArrayList<>();
		// First the names that need no change, so that they never depend on the others.
		for (Path p : inputs)
			if (stems.get(key(stem(p))) == 1) taken.add(key(stem(p)));
		for (Path p : inputs) {
			String stem = stem(p);
			if (stems.get(key(stem)) == 1) {
				names.put(p, stem);
				continue;
			}
			String ext = extension(p);
			String candidate = ext.isEmpty() ? stem : stem + "_" + ext;
			String name = candidate;
			for (int i = 2; taken.contains(key(name)); i++)
				name = candidate + "-" + i;
			taken.add(key(name));
			names.put(p, name);
			renamed.add(p.getFileName() + " -> " + name + "_*");
		}
		return new OutputNames(names, Collections.unmodifiableList(renamed));
	}

	/** The base name of an input's outputs. */
	public String of(Path input) {
		String n = names.get(input);
		if (n == null) throw new IllegalArgumentException(input + " is not one of the batch's inputs");
		return n;
	}

	/** "a.tif -> a_tif_*" for each input whose outputs do not simply use its name (empty if none). */
	public List<String> renamed() {
		return renamed;
	}

	/** The file name without its last extension. */
	public static String stem(Path file) {
		String n = file.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	private static String extension(Path file) {
		String n = file.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(dot + 1) : "";
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}
}
