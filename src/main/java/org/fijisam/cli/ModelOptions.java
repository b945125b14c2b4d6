package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.FileProblems;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamException;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/** The options every command shares: model folder, provider, threads, cache. */
final class ModelOptions {

	static final Set<String> VALUE_OPTIONS = new HashSet<>(Arrays.asList("model", "provider", "threads",
		"cache-dir", "models-dir"));

	static final String HELP =
		"  --model DIR|NAME     model folder with sam.json + ONNX files, or the name of an installed model\n" +
		"                       ('sam-cli models list'); default: the built-in model\n" +
		"  --models-dir DIR     the model store for names (default: $SAM_MODELS_DIR or ~/.cache/fiji-sam/models)\n" +
		"  --provider P         cpu (default), cuda or auto (CUDA if it starts, else CPU)\n" +
		"  --threads N          CPU threads for ONNX Runtime, 1 to the core count (default 0: all cores)\n" +
		"  --cache-dir DIR      keep image embeddings on disk to skip re-encoding on re-runs\n";

	private ModelOptions() {}

	/** Provider and threads; also checked when the command line is parsed, before any work. */
	static ExecutionOptions execution(CliArgs args) throws CliArgs.UsageException {
		try {
			int threads = ExecutionOptions.checkThreads("--threads ", args.getInt("threads", 0));
			return ExecutionOptions.cpu().withProvider(ExecutionOptions.Provider.parse(args.get("provider", "cpu")))
				.withThreads(threads);
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(e.getMessage());
		}
	}

	/** Loads the model and tells the user (once) which provider runs it. */
	static SamModel load(CliArgs args, PrintStream log) throws ModelException, CliArgs.UsageException {
		return load(source(args), args, log);
	}

	/** The model named by --model (a folder, an installed model's name, or the built-in one). */
	static ModelSource source(CliArgs args) {
		return ModelSource.of(args.get("model", null), args.get("models-dir", null));
	}

	/** The same, for a caller that also reads the model's descriptor (e.g. its default preset). */
	static SamModel load(ModelSource source, CliArgs args, PrintStream log) throws ModelException,
		CliArgs.UsageException
	{
		SamModel model = Models.load(source, execution(args));
		if (source.notice() != null) log.println("model: " + source.notice());
		log.println("model: " + source.describe() + " [" + model.spec().name() + "], provider: " +
			model.executionSummary());
		return model;
	}

	/**
	 * The embedding cache folder, checked before any work: the cache is an optimisation and a
	 * failure to write it is not reported later, so a folder that can never hold it must be said now.
	 */
	static Path cacheDir(CliArgs args) throws SamException {
		String dir = args.get("cache-dir", null);
		if (dir == null) return null;
		Path p = Path.of(dir);
		if (Files.exists(p) && !Files.isDirectory(p)) throw new SamException("--cache-dir " + dir + " is a file; " +
			"give a folder (it is created if missing).");
		FileProblems.attempt("create the cache folder", p, () -> Files.createDirectories(p));
		return p;
	}

	static SamPredictor predictor(SamModel model, CliArgs args) throws SamException {
		return new SamPredictor(model, new EmbeddingCache(512L << 20, cacheDir(args)));
	}
}
