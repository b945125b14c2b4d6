package org.fijisam.core.eval;

import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.ConnectedComponents;
import org.fijisam.core.DistanceTransform;

/**
 * One ground-truth object: its pixels and bounding box. Work is done inside bounding boxes,
 * not over the whole image, because an image can hold hundreds of objects.
 */
final class ObjectMask {

	final int width, height;
	final int[] pixels;
	final int x0, y0, x1, y1;

	private ObjectMask(int width, int height, int[] pixels) {
		this.width = width;
		this.height = height;
		this.pixels = pixels;
		int ax = width, ay = height, bx = -1, by = -1;
		for (int p : pixels) {
			int x = p % width, y = p / width;
			ax = Math.min(ax, x);
			bx = Math.max(bx, x);
			ay = Math.min(ay, y);
			by = Math.max(by, y);
		}
		x0 = ax;
		y0 = ay;
		x1 = bx;
		y1 = by;
	}

	/** Every labelled object of a label image, in label order. */
	static List<ObjectMask> all(int[] labels, int width, int height) {
		int max = 0;
		for (int v : labels)
			max = Math.max(max, v);
		int[] count = new int[max + 1];
		for (int v : labels)
			count[v]++;
		int[][] pixels = new int[max + 1][];
		for (int l = 1; l <= max; l++)
			pixels[l] = new int[count[l]];
		int[] fill = new int[max + 1];
		for (int p = 0; p < labels.length; p++)
			if (labels[p] > 0) pixels[labels[p]][fill[labels[p]]++] = p;
		List<ObjectMask> out = new ArrayList<>();
		for (int l = 1; l <= max; l++)
			if (count[l] > 0) out.add(new ObjectMask(width, height, pixels[l]));
		return out;
	}

	/** The pixel farthest from the object's boundary, {x, y}. */
	int[] deepestPixel() {
		int w = x1 - x0 + 1, h = y1 - y0 + 1;
		boolean[] inside = new boolean[w * h];
		for (int p : pixels)
			inside[(p / width - y0) * w + (p % width - x0)] = true;
		int[] d = DistanceTransform.deepestPixel(inside, w, h);
		return new int[] { d[0] + x0, d[1] + y0 };
	}

	double iou(BinaryMask m) {
		byte[] bits = m.data();
		long inter = 0;
		for (int p : pixels)
			inter += bits[p];
		long union = m.area() + pixels.length - inter;
		return union == 0 ? 0 : inter / (double) union;
	}

	/**
	 * Where to click next: the deepest pixel of the largest error region (missed or false
	 * pixels) as {x, y, 1 if it should be positive else 0}, or null when the mask is perfect.
	 */
	int[] correction(BinaryMask predicted) {
		byte[] bits = predicted.data();
		int[] pb = predicted.boundingBox();
		int ax = x0, ay = y0, bx = x1, by = y1;
		if (pb != null) {
			ax = Math.min(ax, pb[0]);
			ay = Math.min(ay, pb[1]);
			bx = Math.max(bx, pb[0] + pb[2] - 1);
			by = Math.max(by, pb[1] + pb[3] - 1);
		}
		int w = bx - ax + 1, h = by - ay + 1;
		boolean[] truth = new boolean[w * h];
		for (int p : pixels)
			truth[(p / width - ay) * w + (p % width - ax)] = true;
		byte[] error = new byte[w * h];
		boolean any = false;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				int i = y * w + x;
				if ((bits[(y + ay) * width + x + ax] != 0) != truth[i]) {
					error[i] = 1;
					any = true;
				}
			}
		}
		if (!any) return null;
		ConnectedComponents.Result cc = ConnectedComponents.label(error, w, h, false);
		int largest = 1;
		for (int c = 2; c <= cc.count; c++)
			if (cc.areas[c] > cc.areas[largest]) largest = c;
		boolean[] region = new boolean[w * h];
		for (int i = 0; i < region.length; i++)
			region[i] = cc.labels[i] == largest;
		int[] deep = DistanceTransform.deepestPixel(region, w, h);
		return new int[] { deep[0] + ax, deep[1] + ay, truth[deep[1] * w + deep[0]] ? 1 : 0 };
	}
}
