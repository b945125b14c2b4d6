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
	 * ONNX Runtime threads per task: the cores Spark gives each task ({@code spark.task.cpus},
	 * 1 unless set), so that the tasks running at once in an executor share its cores instead of
	 * each taking all of them. {@code --conf spark.task.cpus=4} gives fewer, faster tasks.
	 */
	static int threadsPerTask() {
		SparkEnv env = SparkEnv.get();
		return env == null ? 1 : Math.max(1, env.conf().getInt("spark.task.cpus", 1));
	}
}
