package org.fijisam.ui;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.ij.ModelSettings;

/**
 * Click-to-mask latency of the interactive tool in a real window: opens an image, waits for
 * its embedding, then posts real mouse clicks to the canvas and measures until the mask is on
 * the overlay and until the canvas has been painted with it. Prints median and p95.
 *
 * <pre>
 * xvfb-run -a java -cp "target/classes:$(cat cp.txt)" org.fijisam.ui.ClickLatencyBenchmark \
 *     [--model DIR] [--image test-images/nuclei.tif] [--clicks 50] [--threads N] [--provider cpu]
 * </pre>
 * No --model: the built-in default model.
 */
public final class ClickLatencyBenchmark {

	private ClickLatencyBenchmark() {}

	public static void main(String[] args) throws Exception {
		String model = arg(args, "--model", "");
		String image = arg(args, "--image", "test-images/nuclei.tif");
		int clicks = Integer.parseInt(arg(args, "--clicks", "50"));
		ModelSettings s = new ModelSettings(model, ExecutionOptions.Provider.parse(arg(args, "--provider", "cpu")),
			Integer.parseInt(arg(args, "--threads", "0")), 512);
		ImagePlus imp = IJ.openImage(image);
		if (imp == null) throw new IllegalArgumentException("Cannot open " + image);
		ToolDriver d = ToolDriver.open(imp, s);
		long e0 = System.nanoTime();
		d.awaitEmbedding(600_000);
		double embedMs = (System.nanoTime() - e0) / 1e6;
		Random rnd = new Random(7);
		double[] overlay = new double[clicks], painted = new double[clicks];
		// Warm-up: the first decoder run allocates.
		for (int i = 0; i < 3; i++) {
			long t = System.nanoTime();
			d.click(imp.getWidth() / 2.0, imp.getHeight() / 2.0, false);
			d.awaitMask(t, 60_000);
			d.key(java.awt.event.KeyEvent.VK_ESCAPE);
		}
		for (int i = 0; i < clicks; i++) {
			double x = 5 + rnd.nextDouble() * (imp.getWidth() - 10), y = 5 + rnd.nextDouble() * (imp.getHeight() - 10);
			long t = System.nanoTime();
			d.click(x, y, false);
			long[] r = d.awaitMask(t, 60_000);
			overlay[i] = r[0] / 1e6;
			painted[i] = r[1] / 1e6;
			d.key(java.awt.event.KeyEvent.VK_ESCAPE);
		}
		System.out.printf(Locale.ROOT, "image %s (%dx%d), model %s%n", image, imp.getWidth(), imp.getHeight(), model
			.isEmpty() ? "built-in" : model);
		System.out.printf(Locale.ROOT, "embedding (once, background): %.0f ms%n", embedMs);
		System.out.printf(Locale.ROOT, "click -> mask on overlay: median %.1f ms, p95 %.1f ms (n=%d)%n", pct(overlay,
			50), pct(overlay, 95), clicks);
		System.out.printf(Locale.ROOT, "click -> canvas painted:  median %.1f ms, p95 %.1f ms (n=%d)%n", pct(painted,
			50), pct(painted, 95), clicks);
		d.close();
		System.exit(0);
	}

	static double pct(double[] v, double p) {
		double[] s = v.clone();
		Arrays.sort(s);
		int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
		return s[Math.max(0, Math.min(s.length - 1, i))];
	}

	static String arg(String[] args, String key, String def) {
		for (int i = 0; i + 1 < args.length; i++)
			if (args[i].equals(key)) return args[i + 1];
		return def;
	}
}
