package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Full-size check, not run in CI (no "Test" suffix, and it needs files made outside the
 * repository): a model folder converted from an official ViT-B checkpoint by
 * scripts/convert-full-size.sh against the official SamPredictor's masks on the same weights
 * (training/fixtures/make_fullsize_reference.py). Run with
 * {@code mvn -o test -Dtest=ConvertedFullSizeCheck -Dfullsize.dir=/tmp/fijisam-vit_b}.
 * The SAM 2.1 hiera_t one: scripts/convert-full-size-sam2.sh and
 * training/fixtures/make_fullsize_sam2_reference.py, {@code -Dfullsize.sam2.dir=/tmp/fijisam-sam2.1-hiera-t}.
 */
class ConvertedFullSizeCheck {

	@Test
	void convertedSam1GivesTheOfficialMasks() throws Exception {
		String dir = System.getProperty("fullsize.dir");
		assumeTrue(dir != null, "set -Dfullsize.dir to the folder scripts/convert-full-size.sh wrote");
		Path root = Path.of(dir);
		assumeTrue(Files.isDirectory(root.resolve("model")), "no converted model in " + root);
		OfficialSam1FidelityTest.Agreement a = OfficialSam1FidelityTest.compare(root.resolve("model"), root);
		System.out.println("converted " + root.getFileName() + " against the official predictor: " + a);
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}

	@Test
	void convertedSam2HieraTGivesTheOfficialMasks() throws Exception {
		String dir = System.getProperty("fullsize.sam2.dir");
		assumeTrue(dir != null, "set -Dfullsize.sam2.dir to the folder scripts/convert-full-size-sam2.sh wrote");
		Path root = Path.of(dir);
		assumeTrue(Files.isDirectory(root.resolve("model")), "no converted model in " + root);
		double[] inputDiff = new double[1];
		OfficialSam1FidelityTest.Agreement a = OfficialSam2FidelityTest.compare(root.resolve("model"), root, inputDiff,
			true);
		System.out.println("converted SAM 2.1 hiera_t against the official predictor: " + a);
		assertTrue(a.minIou >= OfficialSam1FidelityTest.MIN_IOU, a.toString());
		assertTrue(a.maxScoreDiff <= OfficialSam1FidelityTest.MAX_SCORE_DIFF, a.toString());
	}
}
