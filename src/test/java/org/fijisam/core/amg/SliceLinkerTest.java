package org.fijisam.core.amg;

import static org.fijisam.core.amg.TilingAndStacksTest.rect;
import static org.fijisam.core.amg.TilingAndStacksTest.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Linking labels through a stack by optimal matching on IoU, and what follows splits and merges. */
class SliceLinkerTest {

	private static final int W = 40, H = 10;

	/** The label of pixel (x, 5). */
	private static int at(LabelImage l, int x) {
		return l.labels()[5 * W + x];
	}

	/**
	 * Two objects side by side both move right by 5 px (half their width) with a minimum IoU of
	 * 0.2: the first now overlaps its old self by IoU 0.31 and its neighbour's old place by 0.33.
	 * Greedy matching (best pair first) gives it the neighbour's label and ends both the first
	 * object and the neighbour (IoU 0.25 left without a partner); the optimal matching keeps
	 * both (total IoU 0.56 instead of 0.33).
	 */
	@Test
	void optimalMatchingKeepsBothFastMovingObjectsWhereGreedyLosesOne() {
		SliceLinker linker = new SliceLinker(0.2);
		LabelImage z0 = linker.link(slice(W, H, rect(2, 0, 12, H, W, H), rect(13, 0, 22, H, W, H)));
		assertEquals(1, at(z0, 5));
		assertEquals(2, at(z0, 15));
		LabelImage z1 = linker.link(slice(W, H, rect(7, 0, 18, H, W, H), rect(18, 0, 29, H, W, H)));
		assertEquals(1, at(z1, 10), "the first object keeps its label (greedy gives it 2)");
		assertEquals(2, at(z1, 20), "the second object keeps its label (greedy gives it a new one, 3)");
		assertEquals(2, linker.labelsUsed());
	}

	@Test
	void theLargerPieceOfASplitKeepsTheLabel() {
		SliceLinker linker = new SliceLinker(0.5);
		linker.link(slice(W, H, rect(0, 0, 30, H, W, H)));
		// Three pieces, none with IoU >= 0.5 with the whole: the largest lies inside it and continues it.
		LabelImage z1 = linker.link(slice(W, H, rect(0, 0, 8, H, W, H), rect(9, 0, 20, H, W, H), rect(21, 0, 30, H, W,
			H)));
		assertEquals(1, at(z1, 15), "the largest piece (11 px wide) keeps label 1");
		assertEquals(2, at(z1, 3));
		assertEquals(3, at(z1, 25));
	}

	@Test
	void aMergeTakesTheLabelOfTheLargerObject() {
		SliceLinker linker = new SliceLinker(0.5);
		linker.link(slice(W, H, rect(0, 0, 8, H, W, H), rect(9, 0, 21, H, W, H), rect(30, 0, 36, H, W, H)));
		// Labels 1 (8 px wide), 2 (12 px), 3 (6 px); 1 and 2 merge into one 21 px object: IoU
		// with 2 is 12/21 = 0.57, with 1 0.38: it continues object 2.
		LabelImage z1 = linker.link(slice(W, H, rect(0, 0, 21, H, W, H), rect(30, 0, 36, H, W, H)));
		assertEquals(2, at(z1, 3));
		assertEquals(3, at(z1, 33));
		assertEquals(3, linker.labelsUsed());
	}

	@Test
	void maximumWeightMatchingIsOptimalOnRandomMatrices() {
		Random rnd = new Random(42);
		for (int trial = 0; trial < 300; trial++) {
			int rows = 1 + rnd.nextInt(5), cols = 1 + rnd.nextInt(5);
			double[][] w = new double[rows][cols];
			for (double[] r : w)
				for (int j = 0; j < cols; j++)
					r[j] = rnd.nextDouble() < 0.4 ? 0 : rnd.nextDouble();
			int[] m = BipartiteMatching.maximumWeight(w);
			double got = 0;
			boolean[] used = new boolean[cols];
			for (int i = 0; i < rows; i++)
				if (m[i] >= 0) {
					assertEquals(false, used[m[i]], "one-to-one");
					used[m[i]] = true;
					got += w[i][m[i]];
					assertEquals(true, w[i][m[i]] > 0, "never a pair of weight 0");
				}
			assertEquals(best(w, 0, new boolean[cols]), got, 1e-9);
		}
		assertArrayEquals(new int[] { 0, 1 }, BipartiteMatching.maximumWeight(new double[][] { { 0.31, 0.33 }, { 0,
			0.25 } }), "the pairing of the fast-moving objects below");
	}

	/** Brute force. */
	private static double best(double[][] w, int row, boolean[] used) {
		if (row == w.length) return 0;
		double b = best(w, row + 1, used);
		for (int j = 0; j < used.length; j++)
			if (!used[j] && w[row][j] > 0) {
				used[j] = true;
				b = Math.max(b, w[row][j] + best(w, row + 1, used));
				used[j] = false;
			}
		return b;
	}
}
