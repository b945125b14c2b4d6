package org.fijisam.plugin;

import ij.ImagePlus;
import ij.WindowManager;

import org.fijisam.ImageJSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Base of the plugin tests that run macros in one real ImageJ (needs a display: xvfb-run). */
abstract class InRealImageJ {

	@BeforeAll
	static void startImageJ() throws Exception {
		ImageJSupport.start();
	}

	@BeforeEach
	@AfterEach
	void clean() {
		ImageJSupport.clean();
	}

	/** Shows the image and makes it the macro's current image. */
	static ImagePlus show(ImagePlus imp) {
		imp.show();
		WindowManager.setTempCurrentImage(imp);
		return imp;
	}
}
