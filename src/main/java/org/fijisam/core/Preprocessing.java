package org.fijisam.core;

import java.util.Locale;

/**
 * What a model expects of its input image, from its descriptor: how 8-bit data reach the
 * 0..255 scale when the user leaves the normalisation on "auto", how the image is resized, and
 * how it fits the square model input (longest side and padding, as SAM 1; or stretched, as
 * SAM 2). A model gives the right masks only when fed as it was trained.
 */
public final class Preprocessing {

	/** What "auto" normalisation does with 8-bit and RGB data (other data: percentiles either way). */
	public enum Intensity {
		/** Values used as they are, as SAM 1 was trained on 8-bit photographs. */
		AS_IS("as_is"),
		/** Per-channel min-max stretch, as our built-in model was trained. */
		MIN_MAX("minmax");

		public final String key;

		Intensity(String key) { this.key = key; }
	}

	/** How the longest side is resized to the model input size. */
	public enum Resize {
		/**
		 * As the official SAM 1 code: the image rounded to 8 bits, then Pillow's bilinear resize
		 * (antialiased when shrinking, rounded to 8 bits), see {@link PilResize}.
		 */
		PIL("pil"),
		/** Float bilinear without antialiasing (PyTorch's interpolate), as our built-in model was trained. */
		BILINEAR("bilinear"),
		/**
		 * Float bilinear with antialiasing, on the 0..1 scale, no rounding (torchvision's tensor
		 * Resize, as the official SAM 2 code), see {@link AntialiasedResize}.
		 */
		ANTIALIASED("antialiased");

		public final String key;

		Resize(String key) { this.key = key; }
	}

	/** How the image fits the square model input. */
	public enum Fit {
		/** The longest side scaled to the input size, aspect kept, zero padding bottom/right (SAM 1). */
		LONGEST_SIDE("longest_side"),
		/** Both sides scaled to the input size, aspect not kept, no padding (SAM 2's image predictor). */
		STRETCH("stretch");

		public final String key;

		Fit(String key) { this.key = key; }
	}

	/** The official SAM 1 pipeline, the default for family sam1. */
	public static final Preprocessing SAM1 = new Preprocessing(Intensity.AS_IS, Resize.PIL);

	/** The official SAM 2 image predictor's pipeline, the default for family sam2. */
	public static final Preprocessing SAM2 = new Preprocessing(Intensity.AS_IS, Resize.ANTIALIASED, Fit.STRETCH);

	private final Intensity intensity;
	private final Resize resize;
	private final Fit fit;

	/** Longest side to the input size, padded (SAM 1's fit). */
	public Preprocessing(Intensity intensity, Resize resize) {
		this(intensity, resize, Fit.LONGEST_SIDE);
	}

	public Preprocessing(Intensity intensity, Resize resize, Fit fit) {
		if (intensity == null || resize == null || fit == null) throw new IllegalArgumentException(
			"intensity, resize and fit are required");
		this.intensity = intensity;
		this.resize = resize;
		this.fit = fit;
	}

	public Intensity intensity() { return intensity; }

	public Resize resize() { return resize; }

	public Fit fit() { return fit; }

	/** The intensity setting for a descriptor key; null when the key is unknown. */
	public static Intensity intensity(String key) {
		for (Intensity i : Intensity.values())
			if (i.key.equals(key.toLowerCase(Locale.ROOT))) return i;
		return null;
	}

	/** The resize setting for a descriptor key; null when the key is unknown. */
	public static Resize resize(String key) {
		for (Resize r : Resize.values())
			if (r.key.equals(key.toLowerCase(Locale.ROOT))) return r;
		return null;
	}

	/** The fit setting for a descriptor key; null when the key is unknown. */
	public static Fit fit(String key) {
		for (Fit f : Fit.values())
			if (f.key.equals(key.toLowerCase(Locale.ROOT))) return f;
		return null;
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof Preprocessing)) return false;
		Preprocessing p = (Preprocessing) o;
		return p.intensity == intensity && p.resize == resize && p.fit == fit;
	}

	@Override
	public int hashCode() {
		return (intensity.hashCode() * 31 + resize.hashCode()) * 31 + fit.hashCode();
	}

	@Override
	public String toString() {
		// The SAM 1 fit is left out, so descriptions of SAM 1 models read as before.
		return "intensity " + intensity.key + ", resize " + resize.key + (fit == Fit.LONGEST_SIDE ? "" : ", fit " + fit.key);
	}
}
