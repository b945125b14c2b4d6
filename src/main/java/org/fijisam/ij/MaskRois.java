package org.fijisam.ij;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

import org.fijisam.core.BinaryMask;

/**
 * Masks to ROIs whose outline runs along pixel edges, so that re-rasterising the ROI gives
 * exactly the mask pixels (no one-pixel growth, holes kept).
 */
public final class MaskRois {

	private MaskRois() {}

	/** The outline of a mask, or null when the mask is empty. */
	public static Roi toRoi(BinaryMask mask) {
		int[] bb = mask.boundingBox();
		if (bb == null) return null;
		ByteProcessor bp = new ByteProcessor(bb[2], bb[3]);
		byte[] px = (byte[]) bp.getPixels();
		byte[] m = mask.data();
		for (int y = 0; y < bb[3]; y++)
			for (int x = 0; x < bb[2]; x++)
				if (m[(bb[1] + y) * mask.width() + bb[0] + x] != 0) px[y * bb[2] + x] = (byte) 255;
		bp.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
		Roi roi = new ThresholdToSelection().convert(bp);
		if (roi == null) return null;
		roi.setLocation(roi.getXBase() + bb[0], roi.getYBase() + bb[1]);
		return roi;
	}

	/** Sets the ROI's plane in the way ImageJ expects for plain stacks and hyperstacks. */
	public static void setPlane(Roi roi, ImagePlus imp, int slice, int frame) {
		if (imp.getNSlices() * imp.getNFrames() * imp.getNChannels() == 1) return;
		if (imp.isHyperStack() || imp.getNChannels() > 1) roi.setPosition(0, slice, frame);
		else roi.setPosition(imp.getStackIndex(1, slice, frame));
	}
}
