package org.fijisam.plugin;

import ij.Macro;
import ij.plugin.PlugIn;

import org.fijisam.core.ModelException;
import org.fijisam.ij.ModelSettings;
import org.fijisam.ui.SamTool;

/**
 * Plugins > Segment Anything > Interactive Segment Anything: loads the model (or reuses it) and
 * puts the tool in the toolbar. Macro keys: model, provider, threads.
 */
public class Interactive_Segment_Anything implements PlugIn {

	@Override
	public void run(String arg) {
		String options = Macro.getOptions();
		try {
			ModelSettings s = ModelSettings.fromPrefs();
			if (options != null) s = new MacroOptions(options).model(s);
			SamTool.install(s);
		}
		catch (ModelException | IllegalArgumentException e) {
			UserErrors.report("Interactive Segment Anything", e.getMessage());
		}
		catch (RuntimeException | OutOfMemoryError e) {
			UserErrors.reportUnexpected("Interactive Segment Anything", e);
		}
	}
}
