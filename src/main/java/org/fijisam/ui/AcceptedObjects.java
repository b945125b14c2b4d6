package org.fijisam.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

import org.fijisam.core.BinaryMask;
import org.fijisam.ij.LabelImages;
import org.fijisam.ij.MaskRois;

/**
 * Objects the user accepted: each becomes a ROI Manager entry (named "sam N score S", slice
 * set) and a label in the session's label image. Undo removes only what this class added.
 */
final class AcceptedObjects {

	private final ImagePlus image;
	private ImagePlus labels;
	private int next = 1;
	private final Deque<Object[]> added = new ArrayDeque<>(); // {Roi, BinaryMask, z, t}

	AcceptedObjects(ImagePlus image) {
		this.image = image;
	}

	int count() {
		return added.size();
	}

	ImagePlus labels() {
		return labels;
	}

	void accept(BinaryMask mask, float score, int z, int t) {
		Roi roi = MaskRois.toRoi(mask);
		if (roi == null) return;
		int label = next++;
		roi.setName(String.format(Locale.ROOT, "sam %d score %.2f", label, score));
		MaskRois.setPlane(roi, image, z, t);
		RoiManager rm = RoiManager.getRoiManager();
		rm.add((Roi) roi.clone(), -1);
		if (labels == null || labels.getWindow() == null && !labels.isVisible()) {
			labels = LabelImages.create(image, image.getShortTitle() + "-sam-labels");
			LabelImages.fitDisplay(labels);
			labels.show();
			if (image.getWindow() != null) image.getWindow().toFront();
		}
		LabelImages.paint(labels, z, t, mask, label);
		labels.updateAndDraw();
		added.push(new Object[] { roi, mask, z, t });
	}

	/** Removes the last accepted object; false when there is none. */
	boolean undo() {
		if (added.isEmpty()) return false;
		Object[] last = added.pop();
		Roi roi = (Roi) last[0];
		RoiManager rm = RoiManager.getInstance();
		if (rm != null) {
			int i = rm.getIndex(roi.getName());
			if (i >= 0) {
				rm.select(i);
				rm.runCommand("Delete");
			}
		}
		if (labels != null) {
			LabelImages.paint(labels, (Integer) last[2], (Integer) last[3], (BinaryMask) last[1], 0);
			labels.updateAndDraw();
		}
		next--;
		return true;
	}
}
