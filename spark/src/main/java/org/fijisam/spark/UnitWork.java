package org.fijisam.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * What a task does with one unit: the one point where the real work plugs into the job. An
 * instance holds only settings (it is serialized to every executor); the heavy resource (a
 * model) is made by {@link #createResource()} once per executor JVM and key, see
 * {@link ExecutorResources}.
 *
 * @param <R> the resource shared by every task of an executor (it need not be serializable)
 */
public interface UnitWork<R> extends Serializable {

	/** Tasks whose keys are equal share one resource in an executor (e.g. the model folder and settings). */
	String resourceKey();

	/** Makes the shared resource; called once per executor JVM and key (again only if it failed). */
	R createResource() throws Exception;

	/**
	 * Processes one unit and writes its outputs into {@code outputDir}, each atomically (a
	 * scratch file moved into place), so that a killed task leaves nothing that looks finished.
	 *
	 * @return a short result for the summary (e.g. "42 objects")
	 * @throws Exception when this unit cannot be done: reported in the summary, the job goes on
	 */
	String process(R resource, WorkUnit unit, Path outputDir) throws Exception;

	/** The file names that a finished unit leaves in the output folder (empty: never skipped). */
	List<String> outputNames(WorkUnit unit);

	/** Whether an earlier run finished this unit: every output is there (written atomically, so complete). */
	default boolean isDone(WorkUnit unit, Path outputDir) {
		List<String> names = outputNames(unit);
		if (names.isEmpty()) return false;
		for (String n : names)
			if (!Files.isRegularFile(outputDir.resolve(n), LinkOption.NOFOLLOW_LINKS)) return false;
		return true;
	}
}
