package org.fijisam.core.amg;

import org.fijisam.core.ImageWindow;
import org.fijisam.core.SamImage;

/** Rectangular parts of a normalised {@link SamImage} (crops and tiles), and a contrast test. */
public final class SubImages {

	private SubImages() {}

	/** The pixels [x0, x0 + w) x [y0, y0 + h), copied; channels shared in the source stay shared. */
	public static SamImage crop(SamImage image, int x0, int y0, int w, int h) {
		return image.crop(new ImageWindow(x0, y0, w, h));
	}

	/** True when every channel holds a single value: no contrast, nothing to segment. */
	public static boolean isConstant(SamImage image) {
		for (int c = 0; c < 3; c++) {
			float[] v = image.channel(c);
			float first = v[0];
			for (float f : v)
				if (f != first) return false;
		}
		return true;
	}
}
