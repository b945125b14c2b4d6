package org.fijisam.plugin;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.List;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.fijisam.core.CancelledException;
import org.fijisam.core.SamException;
import org.fijisam.ij.ModelSettings;
import org.fijisam.models.CatalogEntry;
import org.fijisam.models.Downloader;
import org.fijisam.models.InstalledModel;
import org.fijisam.models.ModelCatalog;
import org.fijisam.models.ModelInstaller;
import org.fijisam.models.ModelStore;
import org.fijisam.models.Transfer;

/**
 * Plugins > Segment Anything > Install Model...: downloads an official checkpoint by name into
 * the model store (verified against the publisher's hash, resumable), or imports a checkpoint
 * file the user already has, converting it to ONNX when this build can (then it is usable by
 * name at once). Macro keys: model (a catalog name, e.g. model=sam_vit_b), or file, family and
 * size (empty: told from the checkpoint's tensors) to import. The store is the one set in
 * Segment Anything Settings (models_dir). An interactive download shows a window with a Cancel
 * button; a cancelled download keeps the bytes received, and installing again resumes it.
 */
public class Install_Model implements PlugIn {

	static final String TITLE = "Install Model";

	@Override
	public void run(String arg) {
		String macroOptions = Macro.getOptions();
		try {
			ModelStore store = ModelSettings.store();
			ModelCatalog catalog = ModelCatalog.current();
			String name, file, family, size, decoder;
			boolean interactive = macroOptions == null;
			if (macroOptions != null) {
				MacroOptions m = new MacroOptions(macroOptions);
				name = firstWord(m.get("model", ""));
				file = m.get("file", "").trim();
				family = m.get("family", "sam1").trim();
				size = m.get("size", "").trim();
				decoder = m.get("instance_decoder", "").trim();
				if (name.isEmpty() && file.isEmpty()) throw new SamException("Give model=NAME (e.g. run(\"Install " +
					"Model...\", \"model=sam_vit_b\")) or file=[checkpoint] family=sam1|mobile_sam|sam2.");
			}
			else {
				List<CatalogEntry> entries = catalog.entries();
				String[] labels = new String[entries.size()];
				for (int i = 0; i < labels.length; i++)
					labels[i] = label(entries.get(i), store);
				GenericDialog gd = new GenericDialog(TITLE);
				gd.addChoice("model", labels, labels[0]);
				gd.addMessage("Or import a checkpoint you already have (e.g. downloaded on another computer):");
				gd.addFileField("file (empty = download the model above)", "", 30);
				gd.addChoice("family (of the file)", ModelInstaller.FAMILIES.toArray(new String[0]), "sam1");
				gd.addStringField("size (of the file; empty = from its tensors)", "", 12);
				gd.addFileField("instance_decoder (micro-sam's vit_*_decoder.pt, optional)", "", 30);
				gd.addMessage("Models are stored in " + store.root() + " (set in Segment Anything Settings).\n" +
					"Checkpoints are verified against the publisher's hash, then converted to ONNX where\n" +
					"this build can (the Log says which); the others are kept, verified, as checkpoints.\n" +
					"A download can be cancelled; installing the model again resumes it.");
				gd.showDialog();
				if (gd.wasCanceled()) return;
				name = firstWord(gd.getNextChoice());
				file = gd.getNextString().trim();
				family = gd.getNextChoice();
				size = gd.getNextString().trim();
				decoder = gd.getNextString().trim();
			}
			ModelInstaller installer = new ModelInstaller(store, Downloader.fromSystem(), "Fiji's Install Model");
			InstalledModel m;
			if (!file.isEmpty()) {
				ModelInstaller.Imported r = installer.importCheckpoint(Path.of(file), decoder.isEmpty() ? null : Path.of(
					decoder), family, size.isEmpty() ? null : size, null, catalog, (f, msg) -> IJ.showStatus(msg));
				if (r.matched != null) IJ.log(TITLE + ": " + Path.of(file).getFileName() + " is the catalog's " +
					r.matched.name + " (its published hash matches).");
				m = r.model;
			}
			else {
				CatalogEntry e = catalog.get(name);
				if (store.isInstalled(name)) {
					IJ.log(TITLE + ": " + name + " is already installed in " + store.folder(name) + ".");
					IJ.showStatus(name + " is already installed");
					return;
				}
				IJ.log(TITLE + ": downloading " + e.name + " (" + e.title + ", " + e.sizeText() + ", licence " +
					e.licence + ") into " + store.root());
				m = interactive && !GraphicsEnvironment.isHeadless() ? download(store, e)
					: installer.install(e, Install_Model::show, (f, msg) -> IJ.showStatus(msg));
			}
			IJ.showProgress(1.0);
			IJ.log(TITLE + ": " + ModelInstaller.describe(m));
			IJ.showStatus(m.name + " installed" + (m.converted ? "" : " (checkpoint only)"));
		}
		catch (CancelledException e) {
			// Asked for: not an error. The message says where the bytes received are kept.
			IJ.showProgress(1.0);
			IJ.log(TITLE + ": " + e.getMessage());
			IJ.showStatus(TITLE + ": download cancelled");
		}
		catch (SamException | IllegalArgumentException e) {
			IJ.showProgress(1.0);
			UserErrors.report(TITLE, e.getMessage());
		}
		catch (RuntimeException | OutOfMemoryError e) {
			IJ.showProgress(1.0);
			UserErrors.reportUnexpected(TITLE, e);
		}
	}

	/**
	 * Downloads with a window whose Cancel button (or Esc) stops the download; the bytes received
	 * stay for the next install to resume, and nothing is installed.
	 */
	static InstalledModel download(ModelStore store, CatalogEntry e) throws SamException {
		IJ.resetEscape();
		try (DownloadProgress progress = new DownloadProgress(TITLE, "Downloading " + e.name + " (" + e.title + ", " +
			e.sizeText() + ")"))
		{
			return new ModelInstaller(store, Downloader.fromSystem().withCancellation(progress), "Fiji's Install Model")
				.install(e, progress, (f, msg) -> IJ.showStatus(msg));
		}
	}

	private static void show(Transfer t) {
		if (t.fraction() >= 0) IJ.showProgress(t.fraction());
		IJ.showStatus(t.text());
	}

	/** "sam_vit_b  (SAM ViT-B, 375 MB, Apache-2.0) installed": the name first, which is what a macro gives. */
	static String label(CatalogEntry e, ModelStore store) {
		String licence = e.licence.length() > 24 ? e.licence.substring(0, e.licence.indexOf(' ') > 0 ? e.licence
			.indexOf(' ') : 24) : e.licence;
		return e.name + "  (" + e.title + ", " + e.sizeText() + ", " + licence + ")" + (store.isInstalled(e.name)
			? " installed" : "");
	}

	private static String firstWord(String s) {
		String t = s == null ? "" : s.trim();
		int sp = t.indexOf(' ');
		return sp < 0 ? t : t.substring(0, sp);
	}
}
