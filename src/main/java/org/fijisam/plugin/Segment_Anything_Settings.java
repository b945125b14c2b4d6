package org.fijisam.plugin;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;

/**
 * Plugins > Segment Anything > Segment Anything Settings: model folder (empty = built-in),
 * provider, threads and embedding cache; loads the model at once so problems show now, and
 * shows what is in use. Macro keys: model, provider, threads, cache_mb, reload.
 */
public class Segment_Anything_Settings implements PlugIn {

	static final String TITLE = "Segment Anything Settings";

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		ModelSettings saved = ModelSettings.fromPrefs();
		try {
			ModelSettings s;
			boolean reload;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				s = m.model(saved).withCacheMb(m.getInt("cache_mb", saved.cacheMb()));
				reload = m.flag("reload");
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addDirectoryField("model folder (empty = built-in default)", saved.modelFolder(), 30);
				gd.addChoice("provider", new String[] { "cpu", "cuda", "auto" }, saved.provider().name().toLowerCase(
					java.util.Locale.ROOT));
				gd.addNumericField("threads (0 = all cores)", saved.threads(), 0);
				gd.addNumericField("cache_mb (image embeddings kept in memory)", saved.cacheMb(), 0);
				gd.addCheckbox("reload the model now", false);
				gd.addMessage("In use: " + ModelRegistry.shared().describe());
				gd.showDialog();
				if (gd.wasCanceled()) return;
				s = new ModelSettings(gd.getNextString(), ExecutionOptions.Provider.parse(gd.getNextChoice()),
					(int) gd.getNextNumber(), (int) gd.getNextNumber());
				reload = gd.getNextBoolean();
			}
			if (reload) ModelRegistry.shared().reload(s);
			else ModelRegistry.shared().predictor(s);
			s.saveToPrefs();
			IJ.log(TITLE + ": " + ModelRegistry.shared().describe());
			IJ.showStatus("Segment Anything: " + ModelRegistry.shared().describe());
		}
		catch (ModelException | IllegalArgumentException e) {
			UserErrors.report(TITLE, e.getMessage());
		}
		catch (RuntimeException | OutOfMemoryError e) {
			UserErrors.reportUnexpected(TITLE, e);
		}
	}
}
