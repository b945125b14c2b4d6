package org.fijisam.core;

import java.util.Arrays;

/**
 * Which source channel feeds SAM's R, G and B inputs. -1 leaves an input black. A single
 * grey channel is replicated to all three, as SAM expects.
 */
public final class ChannelMapping {

	private final int[] sources;

	private ChannelMapping(int[] sources) {
		this.sources = sources;
	}

	public static ChannelMapping of(int red, int green, int blue) {
		return new ChannelMapping(new int[] { red, green, blue });
	}

	/** Grey replicated, RGB in order, two channels as R and G, more than three: the first three. */
	public static ChannelMapping defaultFor(int channels) {
		if (channels <= 1) return of(0, 0, 0);
		if (channels == 2) return of(0, 1, -1);
		return of(0, 1, 2);
	}

	/** Parses "1,2,0" style text (1-based channel numbers, 0 = black), as macros give it. */
	public static ChannelMapping parseOneBased(String text) {
		String[] parts = text.trim().split("[,; ]+");
		if (parts.length == 1) {
			int c = Integer.parseInt(parts[0]) - 1;
			return of(c, c, c);
		}
		if (parts.length != 3) throw new IllegalArgumentException("Channel choice '" + text +
			"' must name one channel (grey) or three (R,G,B), 1-based, 0 for black.");
		return of(Integer.parseInt(parts[0]) - 1, Integer.parseInt(parts[1]) - 1,
			Integer.parseInt(parts[2]) - 1);
	}

	/** Source channel index for SAM input c (0..2), or -1 for black. */
	public int source(int c) {
		return sources[c];
	}

	void validate(int available) throws UnsupportedImageException {
		for (int s : sources) {
			if (s < -1 || s >= available) throw new UnsupportedImageException("The channel choice " +
				this + " names channel " + (s + 1) + " but the image has " + available +
				" channel(s). Choose channels between 1 and " + available + " (0 for black).");
		}
		if (sources[0] < 0 && sources[1] < 0 && sources[2] < 0) throw new UnsupportedImageException(
			"The channel choice leaves all of R, G and B black: pick at least one channel.");
	}

	@Override
	public String toString() {
		return Arrays.toString(Arrays.stream(sources).map(s -> s + 1).toArray());
	}
}
