package org.fijisam.core.amg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Greedy non-maximum suppression on axis-aligned boxes, as torchvision's nms: visit boxes by
 * decreasing score, keep a box unless its IoU with an already kept box exceeds the threshold.
 * Box area is (x1 - x0) * (y1 - y0) on the coordinates as given.
 */
public final class BoxNms {

	private BoxNms() {}

	/**
	 * @param boxes {x0, y0, x1, y1} per box
	 * @param scores one per box, higher is better; ties keep the earlier box
	 * @return indices of the kept boxes, by decreasing score
	 */
	public static int[] keep(double[][] boxes, double[] scores, double iouThreshold) {
		Integer[] order = IntStream.range(0, boxes.length).boxed().toArray(Integer[]::new);
		// A stable sort: equal scores keep their input order, so results are reproducible.
		java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
		List<Integer> kept = new ArrayList<>();
		for (int i : order) {
			boolean suppressed = false;
			for (int k : kept) {
				if (iou(boxes[i], boxes[k]) > iouThreshold) {
					suppressed = true;
					break;
				}
			}
			if (!suppressed) kept.add(i);
		}
		return kept.stream().mapToInt(Integer::intValue).toArray();
	}

	/** IoU of two {x0, y0, x1, y1} boxes; 0 when the union is empty. */
	public static double iou(double[] a, double[] b) {
		double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
		double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
		double inter = iw > 0 && ih > 0 ? iw * ih : 0;
		double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
		return union > 0 ? inter / union : 0;
	}
}
