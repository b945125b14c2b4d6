package org.fijisam.spark;

import java.io.Serializable;

import org.apache.spark.SparkEnv;

import org.fijisam.batch.ImageJob;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;
import org.fijisam.options.AutomaticSettings;

/**
 * Which model a job runs and with which settings: sent to every executor, which loads the
 * model once (not per task, see {@link ExecutorResources}) from the built-in copy or from a
 * folder every node reads. Embeddings never leave the executor that made them.
 */
record ExecutorModel(String folder, String provider, int threads, AutomaticSettings settings) implements Serializable {

	/** Executors load models with the same key once. */
	String key() {
		return "model " + folder + " " + provider + " " + threads + " " + settings;
	}

	/** This executor's job for the model (loaded by the first task that needs it). */
	ImageJob job() throws Exception {
		return ExecutorResources.get(key(), this::load);
	}

	private ImageJob load() throws Exception {
		ExecutionOptions execution = ExecutionOptions.cpu().withProvider(ExecutionOptions.Provider.parse(provider))
			.withThreads(threads > 0 ? threads : threadsPerTask());
		SamModel model = Models.load(ModelSource.of(folder == null || folder.isEmpty() ? null : folder), execution);
		return ImageJob.forModel(settings, new SamPredictor(model));
	}

	/**
	 * The cores of this machine shared by the tasks that run at once in this executor: the model
	 * is shared by them, and each task's inference should not fight the others for cores.
	 */
	static int threadsPerTask() {
		int cores = Runtime.getRuntime().availableProcessors();
		SparkEnv env = SparkEnv.get();
		int slots = cores;
		if (env != null) {
			String master = env.conf().get("spark.master", "");
			if (env.conf().contains("spark.executor.cores")) slots = env.conf().getInt("spark.executor.cores", cores);
			else if (master.startsWith("local[") && !master.startsWith("local[*")) slots = Integer.parseInt(master
				.replaceAll("local\\[(\\d+).*", "$1"));
			else if (master.equals("local")) slots = 1;
		}
		return Math.max(1, cores / Math.max(1, slots));
	}
}
