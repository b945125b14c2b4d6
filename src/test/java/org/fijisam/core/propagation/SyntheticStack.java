package org.fijisam.core.propagation;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;

/**
 * Grey planes (background 20) with bright discs (220) that move a little from plane to
 * plane, and their true masks: the ground truth of the propagation tests.
 */
final class SyntheticStack implements PlaneSource {

	static final int SIZE = 128;

	/** A disc of one object on one plane. */
	static final class Disc {
		final int plane;
		final double x, y, r;

		Disc(int plane, double x, double y, double r) {
			this.plane = plane;
			this.x = x;
			this.y = y;
			this.r = r;
		}
	}

	private final int planes;
	private final List<float[]> pixels = new ArrayList<>();
	private final List<Integer> widths = new ArrayList<>();

	SyntheticStack(int planes) {
		this.planes = planes;
		for (int z = 0; z < planes; z++) {
			float[] p = new float[SIZE * SIZE];
			java.util.Arrays.fill(p, 20f);
			pixels.add(p);
			widths.add(SIZE);
		}
	}

	/** Object A: radius 14, moving right and down, on planes 3..15 (0-based). */
	static Disc discA(int z) {
		return new Disc(z, 40 + 2 * z, 35 + z, 14);
	}

	/** Object B: radius 12, moving left, on planes 5..17. */
	static Disc discB(int z) {
		return new Disc(z, 100 - z, 100, 12);
	}

	SyntheticStack draw(Disc d) {
		float[] p = pixels.get(d.plane);
		for (int y = 0; y < SIZE; y++)
			for (int x = 0; x < SIZE; x++)
				if (inside(d, x, y)) p[y * SIZE + x] = 220f;
		return this;
	}

	/** Fills rows y0..y1 of a plane, whole width: a large bright object. */
	SyntheticStack band(int plane, int y0, int y1) {
		float[] p = pixels.get(plane);
		for (int y = y0; y <= y1; y++)
			java.util.Arrays.fill(p, y * SIZE, (y + 1) * SIZE, 220f);
		return this;
	}

	/** Makes a plane another size (bad input). */
	SyntheticStack resize(int plane, int size) {
		float[] p = new float[size * size];
		java.util.Arrays.fill(p, 20f);
		pixels.set(plane, p);
		widths.set(plane, size);
		return this;
	}

	static BinaryMask mask(Disc d) {
		byte[] b = new byte[SIZE * SIZE];
		for (int y = 0; y < SIZE; y++)
			for (int x = 0; x < SIZE; x++)
				if (inside(d, x, y)) b[y * SIZE + x] = 1;
		return new BinaryMask(SIZE, SIZE, b);
	}

	private static boolean inside(Disc d, int x, int y) {
		double dx = x + 0.5 - d.x, dy = y + 0.5 - d.y;
		return dx * dx + dy * dy <= d.r * d.r;
	}

	@Override
	public int size() { return planes; }

	@Override
	public SamImage plane(int index) {
		float[] p = pixels.get(index);
		int w = widths.get(index);
		return SamImages.ofNormalised(w, w, p, p, p);
	}
}
