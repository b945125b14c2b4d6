package org.fijisam.command;

import java.io.File;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ProgressListener;
import org.fijisam.ij.ResultsPublisher;
import org.fijisam.ij.ModelSettings;
import org.scijava.app.StatusService;

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

	static ProgressListener progress(StatusService status, String title) {
		return (f, msg) -> {
			if (status != null) status.showStatus((int) Math.round(f * 100), 100, title + (msg.isEmpty() ? ""
				: ": " + msg));
		};
	}
}
