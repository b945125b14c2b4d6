package org.fijisam.command;

import java.io.File;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ProgressListener;
import org.fijisam.ij.ResultsPublisher;
import org.fijisam.ij.ModelSettings;
import org.fijisam.batch.BatchRun;
import org.fijisam.options.Option;
import org.fijisam.options.OptionTable;
import org.fijisam.options.OptionValues;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/** What the SciJava commands share: model settings from parameters, progress to the status bar. */
final class CommandSupport {

	private CommandSupport() {}

	static ModelSettings model(File folder, String provider, int threads) {
		return ModelSettings.defaults().withModelFolder(folder == null ? "" : folder.getPath()).withProvider(
			ExecutionOptions.Provider.parse(provider == null ? "cpu" : provider)).withThreads(threads);
	}

	/** Writes a command's result files; a failure becomes the message the user sees (cause and what to do). */
	static java.nio.file.Path write(ResultsPublisher.Outputs out, java.nio.file.Path dir, String base)
		throws org.fijisam.core.SamException
	{
		java.nio.file.Path[] labels = new java.nio.file.Path[1];
		org.fijisam.core.FileProblems.attempt("write the results to", dir, () -> labels[0] = out.writeFiles(dir, base));
		return labels[0];
	}

	/**
	 * The values of a command's parameters that are options of {@code table} (same names): a
	 * field left empty (null, blank text, an unticked box) is not given, so the table's default
	 * applies, as in a macro or on the command line.
	 */
	static OptionValues values(Object command, OptionTable table, String... notFromTable) {
		Map<String, String> given = new LinkedHashMap<>();
		for (Field f : command.getClass().getDeclaredFields()) {
			if (f.getAnnotation(Parameter.class) == null || table.find(f.getName()) == null || !f.getName().equals(table
				.find(f.getName()).key()) || java.util.Arrays.asList(notFromTable).contains(f.getName())) continue;
			try {
				f.setAccessible(true);
				Object v = f.get(command);
				if (v == null || v instanceof Boolean && !(Boolean) v || v instanceof File) continue;
				// A check box for a 0/1 parameter (use_m2m): ticked is 1.
				String text = v instanceof Boolean && table.find(f.getName()).type() != Option.Type.FLAG ? "1" : v.toString()
					.trim();
				if (!text.isEmpty()) given.put(f.getName(), text);
			}
			catch (IllegalAccessException e) {
				throw new IllegalStateException(e);
			}
		}
		return table.values(given);
	}

	/** The run's lines in the log service, its progress in the status bar. */
	static BatchRun.Listener listener(LogService log, StatusService status, String title) {
		return BatchRun.Listener.of(line -> log.info(title + ": " + line), line -> log.error(title + ": " + line),
			label -> progress(status, title + ": " + label));
	}

	static ProgressListener progress(StatusService status, String title) {
		return (f, msg) -> {
			if (status != null) status.showStatus((int) Math.round(f * 100), 100, title + (msg.isEmpty() ? ""
				: ": " + msg));
		};
	}
}
