package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Masks to a label image as SAM's tools do it: masks sorted by area and painted largest
 * first, so that small objects stay on top of the large ones they overlap; then every
 * connected piece of a painted mask becomes its own object (8-connected), pieces smaller than
 * the minimum size are dropped, and the rest are numbered 1.. in raster order.
 */
public final class LabelPainter {

	private LabelPainter() {}

	public static LabelImage paint(List<GeneratedMask> masks, int width, int height, int minSize) {
		Integer[] order = new Integer[masks.size()];
		for (int i = 0; i < order.length; i++)
			order[i] = i;
		// Stable: equal areas keep their generation order.
		Arrays.sort(order, Comparator.comparingInt((Integer i) -> -masks.get(i).area()));
		int[] pixels = new int[width * height];
		for (int rank = 0; rank < order.length; rank++) {
			LocalMask m = masks.get(order[rank]).mask();
			byte[] bits = m.bits();
			int value = rank + 1;
			for (int ly = 0; ly < m.height(); ly++) {
				int fy = m.y() + ly;
				if (fy < 0 || fy >= height) continue;
				for (int lx = 0; lx < m.width(); lx++) {
					int fx = m.x() + lx;
					if (fx >= 0 && fx < width && bits[ly * m.width() + lx] != 0) pixels[fy * width + fx] = value;
				}
			}
		}
		float[] iou = new float[order.length + 1], stability = new float[order.length + 1];
		for (int rank = 0; rank < order.length; rank++) {
			iou[rank + 1] = masks.get(order[rank]).predictedIou();
			stability[rank + 1] = masks.get(order[rank]).stabilityScore();
		}
		return relabel(pixels, width, height, minSize, iou, stability);
	}

	/**
	 * Splits every value of {@code pixels} into 8-connected components, drops components
	 * smaller than {@code minSize} and numbers the rest 1.. in raster order, in place.
	 * {@code iou} and {@code stability} give the scores of each input value (may be null).
	 */
	public static LabelImage relabel(int[] pixels, int width, int height, int minSize, float[] iou,
		float[] stability)
	{
		Components c = new Components();
		int[] stack = new int[1024];
		for (int start = 0; start < pixels.length; start++) {
			int value = pixels[start];
			if (value <= 0) continue;
			// Visited pixels are marked with minus their component id.
			int id = c.add(value);
			pixels[start] = -id;
			int top = 0;
			stack[top++] = start;
			while (top > 0) {
				int p = stack[--top];
				int px = p % width, py = p / width;
				c.addPixel(id, px, py);
				for (int dy = -1; dy <= 1; dy++) {
					int ny = py + dy;
					if (ny < 0 || ny >= height) continue;
					for (int dx = -1; dx <= 1; dx++) {
						int nx = px + dx;
						if (nx < 0 || nx >= width) continue;
						int q = ny * width + nx;
						if (pixels[q] == value) {
							pixels[q] = -id;
							if (top == stack.length) stack = Arrays.copyOf(stack, stack.length * 2);
							stack[top++] = q;
						}
					}
				}
			}
		}
		int[] finalLabel = new int[c.count + 1];
		List<ObjectStats> objects = new ArrayList<>();
		int next = 0;
		for (int id = 1; id <= c.count; id++) {
			if (c.area[id] < Math.max(1, minSize)) continue;
			finalLabel[id] = ++next;
			int v = c.value[id];
			objects.add(new ObjectStats(next, c.area[id], c.minX[id], c.minY[id], c.maxX[id] - c.minX[id] + 1,
				c.maxY[id] - c.minY[id] + 1, c.sumX[id] / c.area[id] + 0.5, c.sumY[id] / c.area[id] + 0.5,
				iou != null && v < iou.length ? iou[v] : Float.NaN, stability != null && v < stability.length
					? stability[v] : Float.NaN));
		}
		for (int i = 0; i < pixels.length; i++)
			if (pixels[i] < 0) pixels[i] = finalLabel[-pixels[i]];
		return new LabelImage(width, height, pixels, next, objects);
	}

	/** Growable per-component statistics. */
	private static final class Components {
		int count;
		int[] value = new int[64];
		long[] area = new long[64];
		int[] minX = new int[64], minY = new int[64], maxX = new int[64], maxY = new int[64];
		double[] sumX = new double[64], sumY = new double[64];

		int add(int v) {
			count++;
			if (count >= value.length) {
				int n = value.length * 2;
				value = Arrays.copyOf(value, n);
				area = Arrays.copyOf(area, n);
				minX = Arrays.copyOf(minX, n);
				minY = Arrays.copyOf(minY, n);
				maxX = Arrays.copyOf(maxX, n);
				maxY = Arrays.copyOf(maxY, n);
				sumX = Arrays.copyOf(sumX, n);
				sumY = Arrays.copyOf(sumY, n);
			}
			value[count] = v;
			minX[count] = Integer.MAX_VALUE;
			minY[count] = Integer.MAX_VALUE;
			maxX[count] = -1;
			maxY[count] = -1;
			return count;
		}

		void addPixel(int id, int x, int y) {
			area[id]++;
			sumX[id] += x;
			sumY[id] += y;
			if (x < minX[id]) minX[id] = x;
			if (y < minY[id]) minY[id] = y;
			if (x > maxX[id]) maxX[id] = x;
			if (y > maxY[id]) maxY[id] = y;
		}
	}
}
