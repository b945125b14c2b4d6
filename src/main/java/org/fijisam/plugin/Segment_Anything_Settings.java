package org.fijisam.plugin;

import java.util.List;

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
 * shows what is in use. Macro keys: model (a folder, or the name of an installed model),
 * installed (an installed model's name, as the dialog records it), provider, threads,
 * cache_mb, reload, models_dir (the model store).
 */
public class Segment_Anything_Settings implements PlugIn {

	static final String TITLE = "Segment Anything Settings";
	/** The installed-model choice that means "use the model folder field". */
	static final String FOLDER_ABOVE = "(the folder above)";

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		ModelSettings saved = ModelSettings.fromPrefs();
		try {
			ModelSettings s;
			boolean reload;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				// models_dir first: model= may name a model installed there.
				String dir = m.get("models_dir", null);
				if (dir != null) ModelSettings.saveModelsDir(dir);
				s = m.model(saved).withCacheMb(m.getInt("cache_mb", saved.cacheMb()));
				String installed = m.get("installed", FOLDER_ABOVE);
				if (!installed.equals(FOLDER_ABOVE)) s = s.withModelFolder(installed);
				reload = m.flag("reload");
			}
			else {
				GenericDialog gd = new GenericDialog(TITLE);
				List<String> names = ModelSettings.store().names();
				String[] choices = new String[names.size() + 1];
				choices[0] = FOLDER_ABOVE;
				for (int i = 0; i < names.size(); i++)
					choices[i + 1] = names.get(i);
				boolean byName = names.contains(saved.modelFolder());
				gd.addDirectoryField("model folder (empty = built-in default)", byName ? "" : saved.modelFolder(), 30);
				gd.addChoice("installed model (Install Model... adds them)", choices, byName ? saved.modelFolder()
					: FOLDER_ABOVE);
				gd.addChoice("provider", new String[] { "cpu", "cuda", "auto" }, saved.provider().name().toLowerCase(
					java.util.Locale.ROOT));
				gd.addNumericField("threads (0 = all cores)", saved.threads(), 0);
				gd.addNumericField("cache_mb (image embeddings kept in memory)", saved.cacheMb(), 0);
				gd.addCheckbox("reload the model now", false);
				gd.addDirectoryField("models_dir (where installed models are; empty = default)", ModelSettings
					.modelsDir(), 30);
				gd.addMessage("In use: " + ModelRegistry.shared().describe());
				gd.showDialog();
				if (gd.wasCanceled()) return;
				String folder = gd.getNextString();
				String installed = gd.getNextChoice();
				s = new ModelSettings(installed.equals(FOLDER_ABOVE) ? folder : installed, ExecutionOptions.Provider
					.parse(gd.getNextChoice()), (int) gd.getNextNumber(), (int) gd.getNextNumber());
				reload = gd.getNextBoolean();
				ModelSettings.saveModelsDir(gd.getNextString());
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
