package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** SAM's decoder-output rule: which token each output is, and what a lone point takes. */
class MaskTokensTest {

	@Test
	void outputsMapToTokens() {
		assertEquals(List.of(0, 1, 2, 3), List.of(MaskTokens.token(4, 0), MaskTokens.token(4, 1), MaskTokens.token(4, 2),
			MaskTokens.token(4, 3)));
		assertEquals(List.of(1, 2, 3), List.of(MaskTokens.token(3, 0), MaskTokens.token(3, 1), MaskTokens.token(3, 2)));
		assertEquals(0, MaskTokens.token(1, 0));
		assertTrue(MaskTokens.isValidCount(1) && MaskTokens.isValidCount(3) && MaskTokens.isValidCount(4));
		assertFalse(MaskTokens.isValidCount(2) || MaskTokens.isValidCount(0) || MaskTokens.isValidCount(5));
	}

	@Test
	void lonePointRule() {
		assertEquals(MaskSelection.BEST_SCORE, MaskTokens.lonePointSelection(null, 4));
		assertEquals(MaskSelection.BEST_SCORE, MaskTokens.lonePointSelection("best_score", 4));
		assertEquals(MaskSelection.SINGLE, MaskTokens.lonePointSelection("single", 4));
		assertEquals(MaskSelection.BEST_SCORE, MaskTokens.lonePointSelection("single", 3), "no single token to prefer");
		assertTrue(MaskTokens.isLonePointOutput(null) && MaskTokens.isLonePointOutput("single"));
		assertFalse(MaskTokens.isLonePointOutput("largest"));
		assertThrows(IllegalArgumentException.class, () -> MaskTokens.checkLonePointSelection(MaskSelection.LARGEST));
		assertEquals(MaskSelection.SINGLE, MaskTokens.resolve(MaskSelection.AUTO, false, MaskSelection.BEST_SCORE));
		assertEquals(MaskSelection.BEST_SCORE, MaskTokens.resolve(MaskSelection.AUTO, true, MaskSelection.BEST_SCORE));
		assertEquals(MaskSelection.LARGEST, MaskTokens.resolve(MaskSelection.LARGEST, true, MaskSelection.SINGLE));
	}
}
