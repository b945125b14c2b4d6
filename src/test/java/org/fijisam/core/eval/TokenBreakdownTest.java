package org.fijisam.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBreakdownTest {

	private static final double NAN = Double.NaN;

	@Test
	void meansPerTokenAndBestAmbiguityMaskLeaveTheSingleMaskOut() {
		TokenBreakdown t = new TokenBreakdown();
		// object 1: the single mask (0.9) beats every ambiguity mask (best 0.6);
		// object 2: token 3 is best (0.8)
		t.add(new PromptedEvaluation.Result(new double[] { 0.9, 0.5 }, new double[2], new double[2], new int[2],
			new double[][] { { 0.9, 0.6, 0.0, 0.4 }, { 0.5, 0.2, 0.0, 0.8 } }));
		Double[] m = t.meanByToken();
		assertEquals(0.7, m[0], 1e-12);
		assertEquals(0.4, m[1], 1e-12);
		assertEquals(0.0, m[2], 1e-12);
		assertEquals(0.6, m[3], 1e-12);
		assertEquals((0.6 + 0.8) / 2, t.bestAmbiguityMean(), 1e-12);
		assertTrue(t.describe().contains("0.7000"), t.describe());
	}

	@Test
	void aModelWithOneOutputHasNothingToChoose() {
		TokenBreakdown t = new TokenBreakdown();
		t.add(new PromptedEvaluation.Result(new double[] { 0.3 }, new double[1], new double[1], new int[1],
			new double[][] { { 0.3, NAN, NAN, NAN } }));
		assertNull(t.meanByToken()[1]);
		assertEquals(0.3, t.bestAmbiguityMean(), 1e-12);
		assertTrue(t.describe().contains("-"), t.describe());
	}
}
