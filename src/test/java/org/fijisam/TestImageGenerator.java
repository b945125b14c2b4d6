package org.fijisam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.RoiFiles;

/**
 * Writes test-images/: small synthetic fluorescence images with their ground-truth label images
 * (seeded, so every run writes the same pixels). Run with
 * {@code mvn -q -o test-compile exec:java -Dexec.mainClass=org.fijisam.TestImageGenerator
 * -Dexec.classpathScope=test} or through TestImagesTest (which checks the committed files).
 *
 * <ul>
 * <li>nuclei.tif (8-bit, 256x256): 24 nuclei, 3 touching pairs; nuclei-labels.tif; nuclei.zip =
 * one point prompt per nucleus (for the ROI Manager and batch macros).</li>
 * <li>zstack.tif (16-bit, 128x128x12): 3 objects that move and grow/shrink through z;
 * zstack-labels.tif; zstack.zip = point prompts with slice positions.</li>
 * <li>two-channel.tif (8-bit, 2 channels, 160x160): nuclei in channel 1, cytoplasm in channel
 * 2; two-channel-labels.tif (cells).</li>
 * <li>mosaic.png (8-bit, 1536x1536): a tiled field of ~400 nuclei; mosaic-labels.png (16-bit).</li>
 * </ul>
 */
public final class TestImageGenerator {

	/** An ellipse: centre, half-axes, angle, and a brightness (1 = full signal, 0 = gone, unlabelled). */
	static final class Blob {
		final double cx, cy, a, b, angle, brightness;

		Blob(double cx, double cy, double a, double b, double angle) {
			this(cx, cy, a, b, angle, 1);
		}

		Blob(double cx, double cy, double a, double b, double angle, double brightness) {
			this.cx = cx;
			this.cy = cy;
			this.a = a;
			this.b = b;
			this.angle = angle;
			this.brightness = brightness;
		}

		/** < 1 inside. */
		double r(double x, double y) {
			double dx = x - cx, dy = y - cy, c = Math.cos(angle), s = Math.sin(angle);
			double u = (dx * c + dy * s) / a, v = (-dx * s + dy * c) / b;
			return Math.sqrt(u * u + v * v);
		}
	}

	private TestImageGenerator() {}

	public static void main(String[] args) throws IOException {
		write(Path.of(args.length > 0 ? args[0] : "test-images"));
	}

	public static void write(Path dir) throws IOException {
		Files.createDirectories(dir);
		nuclei(dir);
		zstack(dir);
		movie(dir);
		twoChannel(dir);
		mosaic(dir);
	}

	static List<Blob> scatter(Random rnd, int w, int h, int n, int touchingPairs, double rMin, double rMax) {
		List<Blob> blobs = new ArrayList<>();
		for (int p = 0; p < touchingPairs; p++) {
			double r = rMin + rnd.nextDouble() * (rMax - rMin);
			double cx = 2 * rMax + rnd.nextDouble() * (w - 6 * rMax), cy = 2 * rMax + rnd.nextDouble() * (h - 4 *
				rMax);
			if (overlaps(blobs, cx, cy, 3 * r) || overlaps(blobs, cx + 2 * r, cy, 3 * r)) continue;
			blobs.add(new Blob(cx, cy, r, r, 0));
			blobs.add(new Blob(cx + 2 * r, cy, r, r * 0.9, 0));
		}
		for (int tries = 0; blobs.size() < n && tries < 10000; tries++) {
			double a = rMin + rnd.nextDouble() * (rMax - rMin), b = a * (0.7 + 0.3 * rnd.nextDouble());
			double cx = a + 2 + rnd.nextDouble() * (w - 2 * a - 4), cy = a + 2 + rnd.nextDouble() * (h - 2 * a - 4);
			if (overlaps(blobs, cx, cy, a + 3)) continue;
			blobs.add(new Blob(cx, cy, a, b, rnd.nextDouble() * Math.PI));
		}
		return blobs;
	}

	static boolean overlaps(List<Blob> blobs, double x, double y, double r) {
		for (Blob b : blobs)
			if (Math.hypot(b.cx - x, b.cy - y) < r + Math.max(b.a, b.b)) return true;
		return false;
	}

	/** Paints intensities (into ip) and labels; a soft edge like a blurred fluorescent object. */
	static void paint(List<Blob> blobs, ImageProcessor ip, ShortProcessor labels, Random rnd, double background,
		double signal, double noise)
	{
		int w = ip.getWidth(), h = ip.getHeight();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double v = background;
				for (int i = 0; i < blobs.size(); i++) {
					Blob blob = blobs.get(i);
					double r = blob.r(x + 0.5, y + 0.5);
					if (r < 1.3) v += blob.brightness * signal * (0.85 + 0.15 * (1 - r)) / (1 + Math.exp((r - 1) * 12));
					if (r < 1 && labels != null && blob.brightness > 0) labels.set(x, y, i + 1);
				}
				v += noise * rnd.nextGaussian();
				ip.setf(x, y, (float) Math.max(0, Math.min(ip.maxValue(), v)));
			}
	}

	static List<Roi> pointPrompts(List<Blob> blobs, int position) {
		List<Roi> rois = new ArrayList<>();
		for (int i = 0; i < blobs.size(); i++) {
			PointRoi p = new PointRoi((int) blobs.get(i).cx, (int) blobs.get(i).cy);
			p.setName("nucleus " + (i + 1));
			if (position > 0) p.setPosition(position);
			rois.add(p);
		}
		return rois;
	}

	static void nuclei(Path dir) throws IOException {
		Random rnd = new Random(1);
		List<Blob> blobs = scatter(rnd, 256, 256, 24, 3, 8, 14);
		ByteProcessor ip = new ByteProcessor(256, 256);
		ShortProcessor labels = new ShortProcessor(256, 256);
		paint(blobs, ip, labels, rnd, 20, 160, 6);
		ImageFiles.saveTiff(new ImagePlus("nuclei", ip), dir.resolve("nuclei.tif"));
		ImageFiles.saveTiff(new ImagePlus("nuclei-labels", labels), dir.resolve("nuclei-labels.tif"));
		RoiFiles.writeZip(pointPrompts(blobs, 0), dir.resolve("nuclei.zip"));
	}

	static void zstack(Path dir) throws IOException {
		Random rnd = new Random(2);
		int n = 12;
		ImageStack img = new ImageStack(128, 128), lab = new ImageStack(128, 128);
		List<Roi> prompts = new ArrayList<>();
		for (int z = 0; z < n; z++) {
			double t = z / (double) (n - 1);
			// Each object appears, moves across and fades out of focus through z.
			List<Blob> blobs = new ArrayList<>();
			blobs.add(new Blob(30 + 60 * t, 40, 6 + 8 * Math.sin(Math.PI * t), 6 + 6 * Math.sin(Math.PI * t), 0.3));
			blobs.add(new Blob(90, 30 + 70 * t, 10, 7, 1.0 + t));
			blobs.add(new Blob(100 - 70 * t, 100 - 20 * t, 4 + 10 * t, 4 + 8 * t, 0));
			ShortProcessor ip = new ShortProcessor(128, 128), labels = new ShortProcessor(128, 128);
			paint(blobs, ip, labels, rnd, 400, 3000, 80);
			img.addSlice(ip);
			lab.addSlice(labels);
			List<Roi> p = pointPrompts(blobs, z + 1);
			for (int i = 0; i < p.size(); i++)
				p.get(i).setName("object " + (i + 1) + " z" + (z + 1));
			prompts.addAll(p);
		}
		ImageFiles.saveTiff(new ImagePlus("zstack", img), dir.resolve("zstack.tif"));
		ImageFiles.saveTiff(new ImagePlus("zstack-labels", lab), dir.resolve("zstack-labels.tif"));
		RoiFiles.writeZip(prompts, dir.resolve("zstack.zip"));
	}

	/**
	 * A time series for propagation through t: objects 1 and 2 move side by side, meet, touch
	 * for six frames (B right below A, edge to edge, so no dark gap separates them) and part;
	 * object 3 runs out through the right edge (last labelled, as a sliver, in frame 13);
	 * object 4 fades out over frames 10-12 and is gone (unlabelled) from frame 13. 128x128 and
	 * 8-bit labels keep test-images/ under its size budget.
	 */
	static void movie(Path dir) throws IOException {
		Random rnd = new Random(5);
		int n = 16, size = 128;
		ImageStack img = new ImageStack(size, size), lab = new ImageStack(size, size);
		for (int t = 0; t < n; t++) {
			List<Blob> blobs = new ArrayList<>();
			Blob a = new Blob(20 + 3 * t, 40 + 5 * Math.sin(Math.PI * t / (n - 1)), 10, 8, 0);
			// The gap between the pair closes by 2.5 px a frame, is 0 for t = 5..10 (edge to edge: the
			// soft edges add up, so no dark line parts them), then opens again.
			double gap = 2.5 * Math.max(0, Math.abs(t - 7.5) - 2.5), side = t < 7.5 ? -0.6 : 0.6;
			double bb = 8.5;
			Blob b = new Blob(a.cx + side * gap, a.cy + a.b + bb + gap, 10, bb, 0);
			blobs.add(a);
			blobs.add(b);
			blobs.add(new Blob(80 + 4 * t, 100 - t, 9, 7.5, 0.5 + 0.02 * t));
			double fade = t <= 8 ? 1 : Math.max(0, 1 - 0.25 * (t - 8));
			blobs.add(new Blob(40 + t, 105 - 0.8 * t, 9, 7, 1.2, fade));
			ByteProcessor ip = new ByteProcessor(size, size);
			ShortProcessor labels = new ShortProcessor(size, size);
			paint(blobs, ip, labels, rnd, 20, 160, 6);
			img.addSlice(ip);
			lab.addSlice(labels.convertToByteProcessor(false));
		}
		ImagePlus movie = new ImagePlus("movie", img), labels = new ImagePlus("movie-labels", lab);
		movie.setDimensions(1, 1, n);
		labels.setDimensions(1, 1, n);
		ImageFiles.saveTiff(movie, dir.resolve("movie.tif"));
		ImageFiles.saveTiff(labels, dir.resolve("movie-labels.tif"));
	}

	static void twoChannel(Path dir) throws IOException {
		Random rnd = new Random(3);
		List<Blob> nuclei = scatter(rnd, 160, 160, 8, 1, 7, 10);
		List<Blob> cells = new ArrayList<>();
		for (Blob b : nuclei)
			cells.add(new Blob(b.cx, b.cy, b.a * 1.8, b.b * 1.6, b.angle));
		ByteProcessor c1 = new ByteProcessor(160, 160), c2 = new ByteProcessor(160, 160);
		ShortProcessor labels = new ShortProcessor(160, 160);
		paint(nuclei, c1, null, rnd, 10, 180, 5);
		paint(cells, c2, labels, rnd, 15, 70, 5);
		ImageStack s = new ImageStack(160, 160);
		s.addSlice(c1);
		s.addSlice(c2);
		ImagePlus imp = new ImagePlus("two-channel", s);
		imp.setDimensions(2, 1, 1);
		ImageFiles.saveTiff(imp, dir.resolve("two-channel.tif"));
		ImageFiles.saveTiff(new ImagePlus("two-channel-labels", labels), dir.resolve("two-channel-labels.tif"));
	}

	static void mosaic(Path dir) throws IOException {
		Random rnd = new Random(4);
		int size = 1536;
		List<Blob> blobs = scatter(rnd, size, size, 400, 20, 9, 16);
		ByteProcessor ip = new ByteProcessor(size, size);
		ShortProcessor labels = new ShortProcessor(size, size);
		paint(blobs, ip, labels, rnd, 20, 150, 1.2);
		ImageFiles.savePng(new ImagePlus("mosaic", ip), dir.resolve("mosaic.png"));
		ImagePlus l = new ImagePlus("mosaic-labels", labels);
		if (!new FileSaver(l).saveAsPng(dir.resolve("mosaic-labels.png").toString())) throw new IOException(
			"cannot write mosaic-labels.png");
	}
}
