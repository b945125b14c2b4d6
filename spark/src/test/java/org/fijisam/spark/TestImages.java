package org.fijisam.spark;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

/** Small real images written with ImageJ, and the outputs of a job read back for comparison. */
final class TestImages {

	private TestImages() {}

	/** An 8-bit TIFF of random pixels (the seed makes it reproducible); stacks when planes > 1. */
	static Path tiff(Path dir, String name, int width, int height, int planes, long seed) throws IOException {
		Files.createDirectories(dir);
		ImagePlus imp = IJ.createImage(name, "8-bit black", width, height, planes);
		Random random = new Random(seed);
		for (int z = 1; z <= planes; z++) {
			ImageProcessor ip = imp.getStack().getProcessor(z);
			for (int i = 0; i < width * height; i++)
				ip.set(i, random.nextInt(256));
		}
		Path file = dir.resolve(name);
		boolean ok = planes > 1 ? new FileSaver(imp).saveAsTiffStack(file.toString()) : new FileSaver(imp)
			.saveAsTiff(file.toString());
		if (!ok) throw new IOException("ImageJ could not write " + file);
		return file;
	}

	/** A TIFF cut in half, as a copy interrupted by a full disk leaves it. */
	static Path truncatedTiff(Path dir, String name) throws IOException {
		Path file = tiff(dir, name, 64, 64, 1, 99);
		try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
			f.setLength(f.length() / 2);
		}
		return file;
	}

	/** Writes {@code count} images named img-00.tif ... into the folder. */
	static void folder(Path dir, int count) throws IOException {
		for (int i = 0; i < count; i++)
			tiff(dir, String.format("img-%02d.tif", i), 40 + i, 30 + 2 * i, 1 + i % 3, i);
	}

	/** The job's outputs (every file but the summary and hidden ones), name to content. */
	static Map<String, String> outputs(Path dir) throws IOException {
		Map<String, String> files = new TreeMap<>();
		try (Stream<Path> s = Files.list(dir)) {
			for (Path p : (Iterable<Path>) s::iterator) {
				String n = p.getFileName().toString();
				if (!n.startsWith(".") && !n.equals("sam-spark-summary.csv")) files.put(n, Files.readString(p));
			}
		}
		return files;
	}
}
