package org.fijisam.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

import org.fijisam.core.BinaryMask;
import org.fijisam.ij.LabelImages;
import org.fijisam.ij.MaskRois;
import org.fijisam.ij.ObjectResult;

/**
 * Objects the user accepted: each becomes ROI Manager entries (named "sam N score S", slice
 * set; one per plane for an object carried through the stack) and one label in the session's
 * label image. Undo removes only what this class added, a whole object at a time.
 */
final class AcceptedObjects {

	/** One plane of an accepted object, as added. */
	private static final class Part {
		final Roi roi;
		final BinaryMask mask;
		final int z, t;

		Part(Roi roi, BinaryMask mask, int z, int t) {
			this.roi = roi;
			this.mask = mask;
			this.z = z;
			this.t = t;
		}
	}

	private final ImagePlus image;
	private ImagePlus labels;
	private int next = 1;
	private final Deque<List<Part>> added = new ArrayDeque<>();

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
		acceptObject(Collections.singletonList(new ObjectResult("", z, t, score, Float.NaN, -1, mask)));
	}

	/** One object on several planes (carried through z or t): one label, a ROI per plane. */
	void acceptObject(List<ObjectResult> planes) {
		int label = next;
		List<Part> parts = new ArrayList<>();
		RoiManager rm = null;
		for (ObjectResult p : planes) {
			Roi roi = MaskRois.toRoi(p.mask());
			if (roi == null) continue;
			roi.setName(String.format(Locale.ROOT, "sam %d score %.2f", label, p.score()) + (planes.size() > 1
				? " z" + p.slice() + " t" + p.frame() : ""));
			MaskRois.setPlane(roi, image, p.slice(), p.frame());
			if (rm == null) rm = RoiManager.getRoiManager();
			rm.add((Roi) roi.clone(), -1);
			paint(p.slice(), p.frame(), p.mask(), label);
			parts.add(new Part(roi, p.mask(), p.slice(), p.frame()));
		}
		if (parts.isEmpty()) return;
		labels.updateAndDraw();
		added.push(parts);
		next++;
	}

	private void paint(int z, int t, BinaryMask mask, int label) {
		if (labels == null || labels.getWindow() == null && !labels.isVisible()) {
			labels = LabelImages.create(image, image.getShortTitle() + "-sam-labels");
			LabelImages.fitDisplay(labels);
			labels.show();
			if (image.getWindow() != null) image.getWindow().toFront();
		}
		LabelImages.paint(labels, z, t, mask, label);
	}

	/** Removes the last accepted object (all its planes); false when there is none. */
	boolean undo() {
		if (added.isEmpty()) return false;
		RoiManager rm = RoiManager.getInstance();
		for (Part p : added.pop()) {
			if (rm != null) {
				int i = rm.getIndex(p.roi.getName());
				if (i >= 0) {
					rm.select(i);
					rm.runCommand("Delete");
				}
			}
			if (labels != null) LabelImages.paint(labels, p.z, p.t, p.mask, 0);
		}
		if (labels != null) labels.updateAndDraw();
		next--;
		return true;
	}
}
