package org.fijisam.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SizeBreakdownTest {

	@Test
	void binsFollowTheAreaBounds() {
		assertEquals(0, SizeBreakdown.bin(1));
		assertEquals(0, SizeBreakdown.bin(99));
		assertEquals(1, SizeBreakdown.bin(100));
		assertEquals(2, SizeBreakdown.bin(1599));
		assertEquals(3, SizeBreakdown.bin(1600));
		assertEquals("100-399 px", SizeBreakdown.name(1));
		assertEquals(">= 1600 px", SizeBreakdown.name(3));
	}

	@Test
	void meansArePerBinAndEmptyBinsAreLeftOut() {
		SizeBreakdown s = new SizeBreakdown();
		s.add(new PromptedEvaluation.Result(new double[] { 0.2, 0.4, 0.9 }, new double[] { 0.3, 0.5, 1.0 },
			new double[] { 0.6, 0.8, 1.0 }, new int[] { 50, 80, 2000 }, new double[3][]));
		Map<String, Map<String, Object>> m = s.toMap();
		assertEquals(2, m.size());
		assertFalse(m.containsKey("100-399 px"));
		assertEquals(2L, m.get("0-99 px").get("objects"));
		assertEquals(0.3, (double) m.get("0-99 px").get("point_miou"), 1e-9);
		assertEquals(0.4, (double) m.get("0-99 px").get("box_miou"), 1e-9);
		assertEquals(0.7, (double) m.get("0-99 px").get("iterative_miou"), 1e-9);
		assertEquals(1.0, (double) m.get(">= 1600 px").get("box_miou"), 1e-9);
		assertTrue(s.describe().contains("objects of 0-99 px: 2, point 0.300"), s.describe());
	}
}
