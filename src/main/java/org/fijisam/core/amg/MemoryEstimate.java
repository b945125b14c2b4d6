package org.fijisam.core.amg;

import java.util.Locale;

import org.fijisam.core.ModelSpec;

/**
 * Estimates the Java heap an automatic segmentation needs, so that a run that cannot fit is
 * refused with advice before it starts instead of failing hours in. Deliberately generous:
 * native ONNX Runtime memory is not on the Java heap and is not counted.
 */
public final class MemoryEstimate {

	/** Bytes per plane pixel: normalised RGB floats (12), label ints (4), output 16/32-bit copy (4). */
	static final long BYTES_PER_PIXEL = 20;
	/** Mask windows kept per pixel of a processed region (overlapping candidates before NMS). */
	static final long MASK_BYTES_PER_REGION_PIXEL = 8;

	private MemoryEstimate() {}

	/**
	 * @param width plane width
	 * @param height plane height
	 * @param heldSlices output planes kept in memory besides the current one (label stack)
	 */
	public static long bytes(int width, int height, int heldSlices, ModelSpec spec, AmgParameters params,
		Tiling tiling)
	{
		long pixels = (long) width * height;
		long region = pixels;
		if (tiling != null && tiling.appliesTo(width, height)) {
			long side = tiling.tile() + 2L * tiling.halo();
			region = Math.min(pixels, side * side);
		}
		long s = spec.inputSize(), l = spec.lowResSize();
		long model = 2 * 3 * s * s * 4 + 2 * 4L * spec.embeddingLength();
		// Decoder outputs of one batch, as returned and as candidates: 4 maps per point, twice.
		long decoder = 2L * params.pointsPerBatch() * spec.maskOutputs() * l * l * 4;
		long masks = region * MASK_BYTES_PER_REGION_PIXEL * (1 + params.cropNLayers());
		return pixels * BYTES_PER_PIXEL + masks + model + decoder + heldSlices * pixels * 2;
	}

	/** Heap Java may still use: max heap minus what is in use. */
	public static long available() {
		Runtime r = Runtime.getRuntime();
		return r.maxMemory() - (r.totalMemory() - r.freeMemory());
	}

	/**
	 * The heap {@code needed} bytes can count on: what is free now, or, when that is too little,
	 * what is free after a collection (garbage still counts as used until one runs, and refusing
	 * an image over garbage would be a wrong failure).
	 */
	public static long availableFor(long needed) {
		long now = available();
		if (now >= needed) return now;
		System.gc();
		return available();
	}

	/**
	 * Refuses (with advice) when {@code needed} exceeds {@code available}.
	 *
	 * @throws InsufficientMemoryException naming the sizes and what to change
	 */
	public static void check(long needed, long available, String what, boolean tiled)
		throws InsufficientMemoryException
	{
		if (needed <= available) return;
		throw new InsufficientMemoryException(String.format(Locale.ROOT,
			"%s needs about %s of memory but Java has only %s free. Give Java more memory " +
				"(java -Xmx%dg ..., or Edit > Options > Memory in Fiji)%s, or lower points_per_batch.",
			what, gb(needed), gb(available), Math.max(2, (long) Math.ceil(needed * 1.5 / (1L << 30)) + 1),
			tiled ? "" : ", use tiling (--tile 1024 --halo 128)"));
	}

	static String gb(long bytes) {
		return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30)) : String.format(
			Locale.ROOT, "%d MB", bytes >> 20);
	}
}
