package org.fijisam.command;

import java.io.File;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ProgressListener;
import org.fijisam.ij.ModelSettings;
import org.scijava.app.StatusService;

/** What the SciJava commands share: model settings from parameters, progress to the status bar. */
final class CommandSupport {

	private CommandSupport() {}

	static ModelSettings model(File folder, String provider, int threads) {
		return ModelSettings.defaults().withModelFolder(folder == null ? "" : folder.getPath()).withProvider(
			ExecutionOptions.Provider.parse(provider == null ? "cpu" : provider)).withThreads(threads);
	}

	static ProgressListener progress(StatusService status, String title) {
		return (f, msg) -> {
			if (status != null) status.showStatus((int) Math.round(f * 100), 100, title + (msg.isEmpty() ? ""
				: ": " + msg));
		};
	}
}
