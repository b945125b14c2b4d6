package org.fijisam.ui;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.File;

import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageWindow;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;

/**
 * Screenshot of the interactive tool at work, for the README: opens a test image in a real
 * window, clicks two objects (one accepted), and saves the window as a PNG.
 *
 * <pre>
 * xvfb-run -a -s "-screen 0 1280x1024x24" java -cp "target/classes:$(cat cp.txt)" \
 *     org.fijisam.ui.ToolScreenshot [--model DIR] [--image test-images/nuclei.tif] [--out docs/screenshot.png]
 * </pre>
 */
public final class ToolScreenshot {

	private ToolScreenshot() {}

	public static void main(String[] args) throws Exception {
		String model = ClickLatencyBenchmark.arg(args, "--model", "");
		String image = ClickLatencyBenchmark.arg(args, "--image", "test-images/nuclei.tif");
		File out = new File(ClickLatencyBenchmark.arg(args, "--out", "docs/screenshot.png"));
		ImagePlus imp = IJ.openImage(image);
		if (imp == null) throw new IllegalArgumentException("Cannot open " + image);
		ToolDriver d = ToolDriver.open(imp, new ModelSettings(model, ExecutionOptions.Provider.CPU, 0, 512));
		ImageWindow win = imp.getWindow();
		IJ.run(imp, "In [+]", "");
		IJ.run(imp, "In [+]", "");
		win.setLocation(20, 20);
		d.awaitEmbedding(600_000);
		// Accept one object, then show a second one as a live preview.
		double[][] clicks = pickClicks(imp);
		long t = System.nanoTime();
		d.click(clicks[0][0], clicks[0][1], false);
		d.awaitMask(t, 60_000);
		d.key(java.awt.event.KeyEvent.VK_ENTER);
		t = System.nanoTime();
		d.click(clicks[1][0], clicks[1][1], false);
		d.awaitMask(t, 60_000);
		win.toFront();
		IJ.wait(500);
		d.flush();
		Rectangle r = win.getBounds();
		BufferedImage shot = new Robot().createScreenCapture(r);
		out.getAbsoluteFile().getParentFile().mkdirs();
		ImageIO.write(shot, "png", out);
		System.out.println("wrote " + out + " (" + r.width + "x" + r.height + ")");
		System.exit(0);
	}

	/** Two bright spots (nuclei in the test images): the brightest pixels far apart. */
	static double[][] pickClicks(ImagePlus imp) {
		ij.process.ImageProcessor ip = imp.getProcessor().duplicate();
		ip.blurGaussian(4);
		double[][] best = new double[2][3];
		for (int k = 0; k < 2; k++) {
			double max = -1;
			for (int y = 10; y < ip.getHeight() - 10; y++)
				for (int x = 10; x < ip.getWidth() - 10; x++) {
					if (k == 1 && Math.hypot(x - best[0][0], y - best[0][1]) < 40) continue;
					double v = ip.getPixelValue(x, y);
					if (v > max) {
						max = v;
						best[k] = new double[] { x, y, v };
					}
				}
		}
		return best;
	}
}
