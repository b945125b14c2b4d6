package org.fijisam.batch;

import java.nio.file.Path;

import ij.ImagePlus;

import org.fijisam.core.OutputGuard;

/** One image of a run and where its outputs go. */
public final class ImageTarget {

	private final Path input;
	private final ImagePlus image;
	private final Path dir;
	private final String base;
	private final OutputGuard guard;

	/**
	 * @param image the opened image (planes may stream from disk): sizes, stack layout, calibration
	 * @param base the name of the image's outputs (unique in the run)
	 * @param guard checks output names that are only known while writing (a stack's per-plane files)
	 */
	public ImageTarget(Path input, ImagePlus image, Path dir, String base, OutputGuard guard) {
		this.input = input;
		this.image = image;
		this.dir = dir;
		this.base = base;
		this.guard = guard;
	}

	public Path input() { return input; }

	public ImagePlus image() { return image; }

	public Path dir() { return dir; }

	public String base() { return base; }

	public OutputGuard guard() { return guard; }

	public int planes() {
		return image.getNSlices() * image.getNFrames();
	}

	/** 1-based slice of a plane index (z fastest, then t). */
	public int slice(int index) {
		return index % image.getNSlices() + 1;
	}

	/** 1-based frame of a plane index. */
	public int frame(int index) {
		return index / image.getNSlices() + 1;
	}

	public Path file(String name) {
		return dir.resolve(name);
	}
}
