package org.fijisam.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.gui.Roi;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.amg.LabelImage;
import org.fijisam.core.amg.ObjectStats;
import org.fijisam.ij.MaskRois;
import org.fijisam.ij.RoiFiles;

/**
 * NAME_rois.zip: an ImageJ ROI set (ROI Manager > Open) with one ROI per object, outlining
 * exactly the object's pixels in the label image, on its slice/frame.
 */
public final class RoiSetWriter implements ResultWriter {

	public static final String SUFFIX = "_rois.zip";

	@Override
	public String what() {
		return "ROI set";
	}

	@Override
	public List<String> fileNames(String base) {
		return List.of(base + SUFFIX);
	}

	@Override
	public ImageSink open(ImageTarget t) {
		List<Roi> rois = new ArrayList<>();
		return new ImageSink() {
			@Override
			public void plane(PlaneResult p) {
				LabelImage labels = p.labels();
				for (ObjectStats o : labels.objects()) {
					Roi roi = MaskRois.toRoi(objectMask(labels, o));
					if (roi == null) continue;
					roi.setName(String.format(Locale.ROOT, "object %d", o.label));
					MaskRois.setPlane(roi, t.image(), t.slice(p.index()), t.frame(p.index()));
					rois.add(roi);
				}
			}

			@Override
			public List<Path> finish() throws java.io.IOException {
				Path file = t.file(t.base() + SUFFIX);
				RoiFiles.writeZip(rois, file);
				return List.of(file);
			}
		};
	}

	/** The object's pixels as a plane-sized mask (only its bounding box is scanned). */
	static BinaryMask objectMask(LabelImage labels, ObjectStats o) {
		int w = labels.width();
		int[] px = labels.labels();
		byte[] bits = new byte[w * labels.height()];
		for (int y = o.bboxY; y < o.bboxY + o.bboxHeight; y++)
			for (int x = o.bboxX; x < o.bboxX + o.bboxWidth; x++)
				if (px[y * w + x] == o.label) bits[y * w + x] = 1;
		return new BinaryMask(w, labels.height(), bits);
	}
}
