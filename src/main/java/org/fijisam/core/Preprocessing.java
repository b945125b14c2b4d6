package org.fijisam.core;

import java.util.Locale;

/**
 * What a model expects of its input image, from its descriptor: how 8-bit data reach the
 * 0..255 scale when the user leaves the normalisation on "auto", and how the image is resized
 * to the model's input size. A model gives the right masks only when fed as it was trained.
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
		BILINEAR("bilinear");

		public final String key;

		Resize(String key) { this.key = key; }
	}

	/** The official SAM 1 pipeline, the default for family sam1. */
	public static final Preprocessing SAM1 = new Preprocessing(Intensity.AS_IS, Resize.PIL);

	private final Intensity intensity;
	private final Resize resize;

	public Preprocessing(Intensity intensity, Resize resize) {
		if (intensity == null || resize == null) throw new IllegalArgumentException("intensity and resize are required");
		this.intensity = intensity;
		this.resize = resize;
	}

	public Intensity intensity() { return intensity; }

	public Resize resize() { return resize; }

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

	@Override
	public boolean equals(Object o) {
		return o instanceof Preprocessing && ((Preprocessing) o).intensity == intensity && ((Preprocessing) o).resize == resize;
	}

	@Override
	public int hashCode() {
		return intensity.hashCode() * 31 + resize.hashCode();
	}

	@Override
	public String toString() {
		return "intensity " + intensity.key + ", resize " + resize.key;
	}
}
