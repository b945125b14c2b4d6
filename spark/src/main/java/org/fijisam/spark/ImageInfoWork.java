package org.fijisam.spark;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;

import org.fijisam.core.AtomicFiles;
import org.fijisam.ij.ImageFiles;

/**
 * TEMPORARY work function, until segment-everything of org.fijisam.batch lands: reads each
 * image with ImageJ and writes NAME.txt with its size and a checksum of its pixels, so that
 * the job's plumbing (distribution, shared resource, atomic outputs, resume, failures) runs
 * for real. Its "model" is a stand-in object made once per executor.
 */
final class ImageInfoWork implements UnitWork<ImageInfoWork.StandInModel> {

	private final long delayMillis;

	/** @param delayMillis extra time per unit, to make a unit last like a real one (tests that kill a worker) */
	ImageInfoWork(long delayMillis) {
		this.delayMillis = delayMillis;
	}

	/** Stands for a loaded model: made once per executor, named after the JVM that made it. */
	record StandInModel(String madeBy) {}

	@Override
	public String resourceKey() {
		return "image-info";
	}

	@Override
	public StandInModel createResource() {
		String jvm = ManagementFactory.getRuntimeMXBean().getName();
		System.err.println("sam-spark: model-like resource created in " + jvm);
		return new StandInModel(jvm);
	}

	@Override
	public String process(StandInModel model, WorkUnit unit, Path outputDir) throws Exception {
		ImagePlus imp = ImageFiles.open(unit.inputPath());
		if (delayMillis > 0) Thread.sleep(delayMillis);
		String size = imp.getWidth() + "x" + imp.getHeight() + "x" + imp.getStackSize() + " " + imp.getBitDepth() +
			"-bit";
		String text = "input: " + unit.inputPath().getFileName() + "\n" + //
			"width: " + imp.getWidth() + "\n" + //
			"height: " + imp.getHeight() + "\n" + //
			"channels: " + imp.getNChannels() + "\n" + //
			"slices: " + imp.getNSlices() + "\n" + //
			"frames: " + imp.getNFrames() + "\n" + //
			"bit depth: " + imp.getBitDepth() + "\n" + //
			"pixels crc32: " + String.format(Locale.ROOT, "%08x", pixelChecksum(imp.getStack())) + "\n";
		AtomicFiles.write(outputDir.resolve(outputNames(unit).get(0)), scratch -> Files.writeString(scratch, text,
			StandardCharsets.UTF_8));
		return size;
	}

	@Override
	public List<String> outputNames(WorkUnit unit) {
		return List.of(unit.name() + ".txt");
	}

	private static long pixelChecksum(ImageStack stack) {
		CRC32 crc = new CRC32();
		for (int i = 1; i <= stack.getSize(); i++) {
			ImageProcessor ip = stack.getProcessor(i);
			ByteBuffer plane = ByteBuffer.allocate(4 * ip.getPixelCount());
			// get() is the raw value of every type (float bits for 32-bit, packed RGB for colour).
			for (int p = 0; p < ip.getPixelCount(); p++)
				plane.putInt(ip.get(p));
			crc.update(plane.array());
		}
		return crc.getValue();
	}
}
