package org.fijisam.ui;

import java.awt.Color;
import java.awt.image.IndexColorModel;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.Prompt;
import org.fijisam.ij.MaskRois;

/**
 * Draws the mask being edited (tinted, with its outline) and the prompts on the image's
 * overlay. Only touches overlay elements named {@link #NAME}; the user's overlay stays.
 */
final class PreviewOverlay {

	static final String NAME = "sam-preview";
	private static final Color MASK = new Color(0, 200, 255);

	private PreviewOverlay() {}

	static void show(ImagePlus imp, BinaryMask mask, PromptState prompts) {
		Overlay ov = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
		removeOurs(ov);
		if (mask != null) {
			int[] bb = mask.boundingBox();
			if (bb != null) {
				byte[] m = mask.data();
				ByteProcessor tint = new ByteProcessor(bb[2], bb[3]);
				byte[] px = (byte[]) tint.getPixels();
				for (int y = 0; y < bb[3]; y++)
					for (int x = 0; x < bb[2]; x++)
						if (m[(bb[1] + y) * mask.width() + bb[0] + x] != 0) px[y * bb[2] + x] = 1;
				byte[] r = new byte[256], g = new byte[256], b = new byte[256];
				r[1] = (byte) MASK.getRed();
				g[1] = (byte) MASK.getGreen();
				b[1] = (byte) MASK.getBlue();
				tint.setColorModel(new IndexColorModel(8, 256, r, g, b));
				ImageRoi fill = new ImageRoi(bb[0], bb[1], tint);
				fill.setZeroTransparent(true);
				fill.setOpacity(0.35);
				add(ov, fill);
				Roi outline = MaskRois.toRoi(mask);
				if (outline != null) {
					outline.setStrokeColor(MASK);
					add(ov, outline);
				}
			}
		}
		double[] box = prompts.box();
		if (box != null) {
			Roi r = new Roi(box[0], box[1], box[2] - box[0], box[3] - box[1]);
			r.setStrokeColor(Color.orange);
			add(ov, r);
		}
		for (Prompt.Point p : prompts.points()) {
			PointRoi pr = new PointRoi(p.x, p.y);
			pr.setStrokeColor(p.foreground ? Color.green : Color.red);
			pr.setPointType(PointRoi.CROSSHAIR);
			pr.setSize(3);
			add(ov, pr);
		}
		imp.setOverlay(ov);
	}

	static void clear(ImagePlus imp) {
		Overlay ov = imp.getOverlay();
		if (ov == null) return;
		removeOurs(ov);
		imp.setOverlay(ov.size() == 0 ? null : ov);
	}

	private static void add(Overlay ov, Roi r) {
		r.setName(NAME);
		ov.add(r);
	}

	private static void removeOurs(Overlay ov) {
		for (int i = ov.size() - 1; i >= 0; i--)
			if (NAME.equals(ov.get(i).getName())) ov.remove(i);
	}
}
