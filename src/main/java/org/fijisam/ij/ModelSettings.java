package org.fijisam.ij;

import java.util.Objects;

import ij.Prefs;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.model.ModelSource;
import org.fijisam.models.ModelStore;

/**
 * Which model runs and how: model folder (empty = the built-in default), provider, threads and
 * the embedding cache size. The Settings command stores them in ImageJ's preferences; macros
 * and commands may override them per call.
 */
public final class ModelSettings {

	private static final String PREFIX = "segment_anything.";

	private final String modelFolder;
	private final ExecutionOptions.Provider provider;
	private final int threads;
	private final int cacheMb;

	public ModelSettings(String modelFolder, ExecutionOptions.Provider provider, int threads, int cacheMb) {
		ExecutionOptions.checkThreads("threads=", threads);
		if (cacheMb < 0) throw new IllegalArgumentException("the cache size must be 0 MB or more");
		this.modelFolder = modelFolder == null ? "" : modelFolder.trim();
		this.provider = provider;
		this.threads = threads;
		this.cacheMb = cacheMb;
	}

	public static ModelSettings defaults() {
		return new ModelSettings("", ExecutionOptions.Provider.CPU, 0, 1024);
	}

	/** The settings saved by the Settings command (or the defaults). */
	public static ModelSettings fromPrefs() {
		ModelSettings d = defaults();
		try {
			// Saved on a machine with more cores: all cores of this one.
			int threads = (int) Prefs.get(PREFIX + "threads", 0);
			if (threads > Runtime.getRuntime().availableProcessors()) threads = 0;
			return new ModelSettings(Prefs.get(PREFIX + "model", ""), ExecutionOptions.Provider.parse(Prefs.get(
				PREFIX + "provider", "cpu")), threads, (int) Prefs.get(PREFIX + "cache_mb", d.cacheMb));
		}
		catch (IllegalArgumentException e) {
			return d;
		}
	}

	public void saveToPrefs() {
		Prefs.set(PREFIX + "model", modelFolder);
		Prefs.set(PREFIX + "provider", provider.name().toLowerCase(java.util.Locale.ROOT));
		Prefs.set(PREFIX + "threads", threads);
		Prefs.set(PREFIX + "cache_mb", cacheMb);
	}

	public String modelFolder() { return modelFolder; }

	public ExecutionOptions.Provider provider() { return provider; }

	public int threads() { return threads; }

	public int cacheMb() { return cacheMb; }

	public ModelSettings withModelFolder(String f) {
		return new ModelSettings(f, provider, threads, cacheMb);
	}

	public ModelSettings withProvider(ExecutionOptions.Provider p) {
		return new ModelSettings(modelFolder, p, threads, cacheMb);
	}

	public ModelSettings withThreads(int t) {
		return new ModelSettings(modelFolder, provider, t, cacheMb);
	}

	public ModelSettings withCacheMb(int mb) {
		return new ModelSettings(modelFolder, provider, threads, mb);
	}

	/** The model folder, or an installed model by name from the store set in the preferences. */
	public ModelSource source() {
		return ModelSource.of(modelFolder, modelsDir());
	}

	/**
	 * The model store folder set in Settings (preference {@code segment_anything.models_dir}), or
	 * "" for the default (the system property, $SAM_MODELS_DIR or the user's cache folder).
	 */
	public static String modelsDir() {
		return Prefs.get(PREFIX + "models_dir", "").trim();
	}

	public static void saveModelsDir(String dir) {
		Prefs.set(PREFIX + "models_dir", dir == null ? "" : dir.trim());
	}

	/** The model store the Fiji commands use. */
	public static ModelStore store() {
		return ModelStore.at(modelsDir());
	}

	public ExecutionOptions execution() {
		return ExecutionOptions.cpu().withProvider(provider).withThreads(threads);
	}

	/** Whether a model loaded with these settings can serve {@code other} (cache size aside). */
	boolean sameModel(ModelSettings other) {
		return other != null && modelFolder.equals(other.modelFolder) && provider == other.provider &&
			threads == other.threads;
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof ModelSettings)) return false;
		ModelSettings s = (ModelSettings) o;
		return sameModel(s) && cacheMb == s.cacheMb;
	}

	@Override
	public int hashCode() {
		return Objects.hash(modelFolder, provider, threads, cacheMb);
	}

	@Override
	public String toString() {
		return (modelFolder.isEmpty() ? "built-in model" : modelFolder) + ", " + provider.name()
			.toLowerCase(java.util.Locale.ROOT) + ", " + (threads == 0 ? "all cores" : threads + " threads") +
			", cache " + cacheMb + " MB";
	}
}
