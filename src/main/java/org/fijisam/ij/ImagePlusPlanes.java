package org.fijisam.ij;

import ij.ImagePlus;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.amg.SliceSource;
import org.fijisam.core.amg.StackNormalization;
import org.fijisam.core.propagation.PlaneSource;

/**
 * The planes of an ImagePlus along z (at one frame) or along t (at one slice), as a
 * {@link PlaneSource} for propagation. Planes are converted one at a time, all with one
 * intensity range measured over the planes along that axis, so that an object keeps its
 * contrast from plane to plane.
 */
public final class ImagePlusPlanes implements PlaneSource {

	/** The axis objects are carried along. */
	public enum Axis {
		Z, T;

		/** "z" or "t", as the command line and macros give it. */
		public static Axis parse(String text) {
			String t = text.trim().toLowerCase(java.util.Locale.ROOT);
			if (t.equals("z")) return Z;
			if (t.equals("t")) return T;
			throw new IllegalArgumentException("Unknown axis '" + text + "': propagate through z (slices) or t (frames).");
		}
	}

	private final ImagePlusSlices all;
	private final Axis axis;
	private final int slices, frames;
	private final int slice, frame;
	private final Normalization shared;

	private ImagePlusPlanes(ImagePlus imp, ImagePlusSlices all, Axis axis, int slice, int frame, Normalization shared) {
		this.all = all;
		this.slices = imp.getNSlices();
		this.frames = imp.getNFrames();
		this.axis = axis;
		this.slice = slice;
		this.frame = frame;
		this.shared = shared;
	}

	/**
	 * @param slice 1-based z held fixed when propagating through t (ignored for z)
	 * @param frame 1-based t held fixed when propagating through z (ignored for t)
	 * @param mapping channels feeding R, G, B; null for the default
	 * @param normalization as the model expects ({@code forModel} already applied); measured
	 *        here over the planes along the axis
	 */
	public static ImagePlusPlanes along(ImagePlus imp, Axis axis, int slice, int frame, ChannelMapping mapping,
		Normalization normalization, Cancellation cancel) throws SamException
	{
		ImagePlusSlices all = new ImagePlusSlices(imp, mapping);
		ImagePlusPlanes unmeasured = new ImagePlusPlanes(imp, all, axis, clamp(slice, imp.getNSlices()), clamp(frame, imp
			.getNFrames()), normalization);
		Normalization shared = StackNormalization.measure(unmeasured.asSliceSource(), normalization, cancel);
		return new ImagePlusPlanes(imp, all, axis, unmeasured.slice, unmeasured.frame, shared);
	}

	private static int clamp(int v, int n) {
		return Math.max(1, Math.min(v, n));
	}

	@Override
	public int size() {
		return axis == Axis.Z ? slices : frames;
	}

	/** The ImagePlusSlices index of plane {@code index} along the axis. */
	private int indexInAll(int index) {
		// ImagePlusSlices numbers planes z fastest: index = (t - 1) * nz + (z - 1).
		return axis == Axis.Z ? (frame - 1) * slices + index : index * slices + (slice - 1);
	}

	/** 1-based slice of plane {@code index}. */
	public int slice(int index) {
		return all.slice(indexInAll(index));
	}

	/** 1-based frame of plane {@code index}. */
	public int frame(int index) {
		return all.frame(indexInAll(index));
	}

	/** The intensity range every plane is converted with. */
	public Normalization normalization() { return shared; }

	@Override
	public SamImage plane(int index) throws SamException {
		return all.image(indexInAll(index), shared);
	}

	private SliceSource asSliceSource() {
		return new SliceSource() {
			@Override
			public int size() { return ImagePlusPlanes.this.size(); }

			@Override
			public int[] dimensions(int index) { return all.dimensions(indexInAll(index)); }

			@Override
			public boolean eightBitOrRgb() { return all.eightBitOrRgb(); }

			@Override
			public float[] intensities(int index) { return all.intensities(indexInAll(index)); }

			@Override
			public SamImage image(int index, Normalization n) throws SamException {
				return all.image(indexInAll(index), n);
			}
		};
	}
}
