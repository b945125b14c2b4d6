package org.fijisam.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.fijisam.core.Hashes;
import org.fijisam.core.ModelException;
import org.fijisam.models.ModelStore;

/**
 * Where a model's files come from: a folder on disk, or the default model embedded in the
 * plugin jar (loaded from the class path, no download). Checks the descriptor and, where the
 * descriptor lists them, the SHA-256 of every file.
 */
public abstract class ModelSource {

	/** Class-path folder of the embedded default model. */
	public static final String DEFAULT_RESOURCE = "/models/default/";

	private ModelDescriptor descriptor;

	/** The default model shipped inside the plugin jar. */
	public static ModelSource embeddedDefault() {
		return new Resource(DEFAULT_RESOURCE);
	}

	/** A model folder holding sam.json and the ONNX files it names. */
	public static ModelSource folder(Path folder) {
		return new Folder(folder);
	}

	/**
	 * The embedded default when {@code folder} is null or empty, else that folder, else the
	 * installed model of that name in the default model store.
	 */
	public static ModelSource of(String folder) {
		return of(folder, null);
	}

	/**
	 * The embedded default when {@code folderOrName} is null or empty; a folder when it exists;
	 * else the model of that name installed in the store at {@code modelsDir} (null: the default
	 * store, see {@link ModelStore}). An unknown name loads as a folder that does not exist, with
	 * a message that lists the installed models.
	 */
	public static ModelSource of(String folderOrName, String modelsDir) {
		if (folderOrName == null || folderOrName.trim().isEmpty()) return embeddedDefault();
		String f = folderOrName.trim();
		Path p = Path.of(f);
		if (Files.exists(p) || p.getNameCount() != 1 || !f.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) return folder(p);
		ModelStore store = ModelStore.at(modelsDir);
		return new Folder(store.folder(f), new Installed(store, f));
	}

	/** How a model given by name is found in the store, for messages when it cannot be used. */
	static final class Installed {
		final ModelStore store;
		final String name;

		Installed(ModelStore store, String name) {
			this.store = store;
			this.name = name;
		}

		/** Why the named model cannot be loaded, or null when its folder holds a model. */
		String problem() {
			Path folder = store.folder(name);
			if (!store.isInstalled(name)) return "The model folder " + name + " does not exist, and no installed " +
				"model has that name (model store: " + store.root() + "). " + store.installedText() + " Run " +
				"'sam-cli models list' to see the models that can be installed, or give the path of a model folder.";
			if (Files.isRegularFile(folder.resolve(ModelDescriptor.FILE_NAME))) return null;
			return "The model " + name + " is installed in " + folder + " as a verified checkpoint only: conversion " +
				"to ONNX of its family and size is not available in this build yet, so it cannot run. Use the built-in model or an ONNX model " +
				"folder meanwhile.";
		}
	}

	public final synchronized ModelDescriptor descriptor() throws ModelException {
		if (descriptor == null) descriptor = ModelDescriptor.parse(readDescriptor(), describe() +
			"/" + ModelDescriptor.FILE_NAME);
		return descriptor;
	}

	/**
	 * What loading did that the user should hear of (a descriptor recognised from the ONNX
	 * graphs and written, or kept in memory), or null.
	 */
	public String notice() {
		return null;
	}

	/** A human-readable origin for messages, e.g. the folder path. */
	public abstract String describe();

	protected abstract String readDescriptor() throws ModelException;

	/** Bytes of a model file, verified against the descriptor's SHA-256 when it has one. */
	public byte[] read(String file) throws ModelException {
		byte[] data = readRaw(file);
		String expected = descriptor().sha256.get(file);
		if (expected != null) {
			String actual = Hashes.sha256Hex(data);
			if (!actual.equalsIgnoreCase(expected)) throw new ModelException("The file " + file + " in " +
				describe() + " is damaged or was replaced: its SHA-256 is " + actual + " but sam.json expects " +
				expected + ". Copy the model again (or update sha256 in sam.json if you re-exported it).");
		}
		return data;
	}

	protected abstract byte[] readRaw(String file) throws ModelException;

	/**
	 * The file on disk, verified against the descriptor's SHA-256 by streaming it (never in the
	 * heap), or null when it lives in the jar. The first call also verifies every listed file that
	 * is not an ONNX graph: the external weights ONNX Runtime reads beside a graph opened by path
	 * (converted models keep their weights there).
	 */
	public Path verifiedPath(String file) throws ModelException {
		Path p = localPath(file);
		if (p == null) return null;
		if (!Files.isRegularFile(p)) readRaw(file); // throws the "missing file" message
		Map<String, String> hashes = descriptor().sha256;
		verify(file, p, hashes.get(file));
		synchronized (this) {
			if (!sidecarsVerified) {
				for (Map.Entry<String, String> e : hashes.entrySet())
					if (!e.getKey().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
						if (!Files.isRegularFile(localPath(e.getKey()))) readRaw(e.getKey());
						verify(e.getKey(), localPath(e.getKey()), e.getValue());
					}
				sidecarsVerified = true;
			}
		}
		return p;
	}

	private boolean sidecarsVerified;

	private void verify(String file, Path p, String expected) throws ModelException {
		if (expected == null) return;
		String actual;
		try {
			actual = Hashes.sha256Hex(p);
		}
		catch (IOException e) {
			throw new ModelException("Cannot read " + p + ": " + e.getMessage(), e);
		}
		if (!actual.equalsIgnoreCase(expected)) throw new ModelException("The file " + file + " in " + describe() +
			" is damaged or was replaced: its SHA-256 is " + actual + " but sam.json expects " + expected +
			". Copy the model again (or update sha256 in sam.json if you re-exported it).");
	}

	/** The file on disk, or null when it lives in the jar (large models are best opened by path). */
	public Path localPath(String file) {
		return null;
	}

	/**
	 * A short stable identifier of the weights, for cache keys: the descriptor's hashes when
	 * it lists them, else a hash of the descriptor and file sizes.
	 */
	public String id() throws ModelException {
		ModelDescriptor d = descriptor();
		Map<String, String> parts = new TreeMap<>(d.sha256);
		parts.put("descriptor", readDescriptor());
		// The input pipeline is part of what an embedding depends on: a disk cache written before a
		// model's default preprocessing changed must not answer for the new one.
		parts.put("preprocessing", d.inputPreprocessing().toString());
		return Hashes.sha256Hex(parts.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
	}

	static final class Folder extends ModelSource {
		private final Path folder;
		/** Set when the folder was named as an installed model: its problems are said in those words. */
		private final Installed installed;
		private String recognisedJson;
		private String notice;

		Folder(Path folder) {
			this(folder, null);
		}

		Folder(Path folder, Installed installed) {
			this.folder = folder;
			this.installed = installed;
		}

		@Override
		public String describe() {
			return folder.toString();
		}

		@Override
		protected String readDescriptor() throws ModelException {
			String problem = installed != null ? installed.problem() : null;
			if (problem != null) throw new ModelException(problem);
			if (!Files.isDirectory(folder)) throw new ModelException("The model folder " + folder +
				" does not exist. Choose a folder that holds sam.json and the ONNX files, " +
				"or leave the model empty to use the built-in default.");
			Path json = folder.resolve(ModelDescriptor.FILE_NAME);
			if (!Files.isRegularFile(json)) return recognised();
			try {
				return new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
			}
			catch (IOException e) {
				throw new ModelException("Cannot read " + json + ": " + e.getMessage(), e);
			}
		}

		/**
		 * A folder of ONNX files without sam.json: recognise a known export from its graphs and
		 * write the descriptor (never over an existing one), or keep it in memory where the folder
		 * is read-only. Done once per source: later reads (cache keys) reuse the text.
		 */
		private synchronized String recognised() throws ModelException {
			if (recognisedJson != null) return recognisedJson;
			boolean hasOnnx = !ExportFolder.onnxFiles(folder).isEmpty();
			if (!hasOnnx) throw new ModelException("The model folder " + folder + " has no " +
				ModelDescriptor.FILE_NAME + " and no ONNX files. Choose a folder with an exported SAM model.");
			ExportFolder.Inspection in = ExportFolder.inspect(folder, Models.graphReader());
			if (!in.loadable()) throw new ModelException("The model folder " + folder + " has no " +
				ModelDescriptor.FILE_NAME + "; its ONNX files are " + in.summary().trim() + "\nRun 'sam-cli models " +
				"inspect " + folder + "' to write its sam.json anyway.");
			notice = "recognised the " + in.recognition.layout + " export (family " + in.recognition.family + "); " +
				ExportFolder.write(in);
			recognisedJson = in.json;
			return recognisedJson;
		}

		@Override
		public String notice() {
			return notice;
		}

		@Override
		protected byte[] readRaw(String file) throws ModelException {
			Path p = folder.resolve(file);
			if (!Files.isRegularFile(p)) throw new ModelException("sam.json in " + folder + " names " + file +
				" but there is no such file. Copy the missing file or fix the descriptor.");
			try {
				return Files.readAllBytes(p);
			}
			catch (IOException | OutOfMemoryError e) {
				throw new ModelException("Cannot read " + p + ": " + e.getMessage(), e);
			}
		}

		@Override
		public Path localPath(String file) {
			return folder.resolve(file);
		}

		@Override
		public String id() throws ModelException {
			// Without hashes in sam.json, sizes and modification times tell re-exports apart.
			StringBuilder sb = new StringBuilder(super.id());
			for (String f : new String[] { descriptor().encoder.file,
				descriptor().decoder != null ? descriptor().decoder.file : "",
				descriptor().batchDecoder != null ? descriptor().batchDecoder.file : "",
				descriptor().batchDecoderNoMask != null ? descriptor().batchDecoderNoMask.file : "",
				descriptor().batchDecoderNoMask != null && descriptor().batchDecoderNoMask.imageSide != null
					? descriptor().batchDecoderNoMask.imageSide : "" })
			{
				java.io.File file = folder.resolve(f).toFile();
				sb.append(':').append(file.length()).append(':').append(file.lastModified());
			}
			return Hashes.sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
		}
	}

	static final class Resource extends ModelSource {
		private final String prefix;

		Resource(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public String describe() {
			return "the built-in model (" + prefix + ")";
		}

		@Override
		protected String readDescriptor() throws ModelException {
			return new String(readRaw(ModelDescriptor.FILE_NAME), StandardCharsets.UTF_8);
		}

		@Override
		protected byte[] readRaw(String file) throws ModelException {
			try (InputStream in = ModelSource.class.getResourceAsStream(prefix + file)) {
				if (in == null) throw new ModelException("The built-in model file " + prefix + file +
					" is missing from the plugin jar. Reinstall the plugin, or choose a model folder.");
				return in.readAllBytes();
			}
			catch (IOException e) {
				throw new ModelException("Cannot read the built-in model file " + file + ": " + e.getMessage(), e);
			}
		}
	}
}
