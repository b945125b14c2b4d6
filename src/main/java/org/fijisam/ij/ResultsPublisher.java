package org.fijisam.ij;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.macro.Interpreter;
import ij.plugin.frame.RoiManager;

/**
 * Turns masks into what users see: ROI Manager entries (only added, never reset), a label
 * image, overlay outlines and a results table. Builds everything first, then publishes, so a
 * failure leaves nothing half done.
 */
public final class ResultsPublisher {

	/** ROIs, label image and table built from the results, before anything is shown. */
	public static final class Outputs {
		public final List<Roi> rois = new ArrayList<>();
		public ImagePlus labels;
		public ResultsTable table;

		/**
		 * Writes BASE-labels.tif, BASE-results.csv and BASE-rois.zip into {@code dir}, each
		 * atomically; returns the label image's path.
		 */
		public java.nio.file.Path writeFiles(java.nio.file.Path dir, String base) throws java.io.IOException {
			java.nio.file.Path labelFile = dir.resolve(base + SUFFIXES.get(0));
			ImageFiles.saveTiff(labels, labelFile);
			// ImageJ's table writer drops write errors (a PrintWriter): the table read back proves it complete.
			org.fijisam.core.AtomicFiles.write(dir.resolve(base + SUFFIXES.get(1)), tmp -> table.saveAs(tmp
				.toString()), tmp -> {
					ResultsTable back = table.size() == 0 ? null : ResultsTable.open(tmp.toString());
					if (table.size() > 0 && (back == null || back.size() != table.size())) throw new java.io.IOException(
						"the written table is incomplete (is the disk full?)");
				});
			RoiFiles.writeZip(rois, dir.resolve(base + SUFFIXES.get(2)));
			return labelFile;
		}
	}

	/** The files {@link Outputs#writeFiles} writes: BASE + each suffix. */
	public static final List<String> SUFFIXES = List.of("-labels.tif", "-results.csv", "-rois.zip");

	private ResultsPublisher() {}

	/**
	 * Checks, before any work, that the files of {@link Outputs#writeFiles} may be written in
	 * {@code dir}: none would replace one of {@code inputs}, a link or anything but a file.
	 */
	public static void checkOutputs(java.nio.file.Path dir, String base, List<java.nio.file.Path> inputs)
		throws org.fijisam.core.SamException
	{
		org.fijisam.core.OutputGuard guard = new org.fijisam.core.OutputGuard(inputs);
		for (String suffix : SUFFIXES)
			guard.claim(dir.resolve(base + suffix), suffix.substring(1));
	}

	/**
	 * @param firstLabel label (and object number) of the first result; later ones count up
	 */
	public static Outputs build(ImagePlus imp, List<ObjectResult> results, int firstLabel) {
		Builder b = new Builder(imp, firstLabel);
		b.add(results);
		return b.build();
	}

	/**
	 * Builds the outputs a batch of results at a time, so that a caller segmenting plane after
	 * plane can let go of each plane's full-size masks at once: holding them all would take
	 * gigabytes for a long stack of large planes (one byte per pixel per object).
	 */
	public static final class Builder {
		private final Outputs o = new Outputs();
		private final ImagePlus imp;
		private final Calibration cal;
		private int label;
		private int count;

		public Builder(ImagePlus imp, int firstLabel) {
			this.imp = imp;
			this.cal = imp.getCalibration();
			this.label = firstLabel;
			o.labels = LabelImages.create(imp, imp.getShortTitle() + "-labels");
			o.table = new ResultsTable();
		}

		public void add(List<ObjectResult> results) {
			for (ObjectResult r : results) {
				add(r, label);
				label++;
			}
		}

		/**
		 * Adds one object's masks on several planes under one label (an object carried through
		 * a stack): a ROI and a table row per plane, one label on every plane.
		 */
		public void addObject(List<ObjectResult> planes) {
			for (ObjectResult r : planes)
				add(r, label);
			label++;
		}

		private void add(ObjectResult r, int label) {
			Roi roi = MaskRois.toRoi(r.mask());
			int area = r.mask().area();
			if (roi != null) {
				String score = Float.isNaN(r.score()) ? "" : String.format(Locale.ROOT, " score %.2f", r.score());
				roi.setName(String.format(Locale.ROOT, "sam %d %s%s", label, r.name(), score));
				MaskRois.setPlane(roi, imp, r.slice(), r.frame());
				o.rois.add(roi);
				LabelImages.paint(o.labels, r.slice(), r.frame(), r.mask(), label);
			}
			int[] bb = r.mask().boundingBox();
			o.table.incrementCounter();
			o.table.addValue("Label", label);
			o.table.addValue("Object", r.name());
			o.table.addValue("Slice", r.slice());
			o.table.addValue("Frame", r.frame());
			o.table.addValue("Area (px)", area);
			o.table.addValue("Area", area * cal.pixelWidth * cal.pixelHeight);
			o.table.addValue("Score", r.score());
			o.table.addValue("Stability", r.stability());
			o.table.addValue("Token", r.token());
			o.table.addValue("BX", bb != null ? bb[0] : 0);
			o.table.addValue("BY", bb != null ? bb[1] : 0);
			o.table.addValue("Width", bb != null ? bb[2] : 0);
			o.table.addValue("Height", bb != null ? bb[3] : 0);
			count++;
		}

		/** Results added so far. */
		public int count() {
			return count;
		}

		public Outputs build() {
			LabelImages.fitDisplay(o.labels);
			return o;
		}
	}

	/** Adds the ROIs to the ROI Manager (creating one if needed; hidden in batch mode). */
	public static void addToManager(ImagePlus imp, List<Roi> rois) {
		if (rois.isEmpty()) return;
		RoiManager rm = manager();
		if (rm == null) rm = RoiManager.getRoiManager();
		for (Roi roi : rois)
			rm.add((Roi) roi.clone(), -1);
	}

	/**
	 * The ROI Manager a macro's roiManager() calls would use: the open one, else (in batch
	 * mode) the hidden batch-mode one; null when there is none.
	 */
	public static RoiManager manager() {
		RoiManager rm = RoiManager.getInstance();
		if (rm == null && Interpreter.isBatchMode()) rm = Interpreter.getBatchModeRoiManager();
		return rm;
	}

	/** Adds outlines to the image's overlay (keeping what is there). */
	public static void addOverlay(ImagePlus imp, List<Roi> rois) {
		Overlay ov = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
		for (Roi roi : rois) {
			Roi copy = (Roi) roi.clone();
			copy.setStrokeColor(java.awt.Color.yellow);
			ov.add(copy);
		}
		imp.setOverlay(ov);
	}
}
