package org.fijisam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AmgTimings;
import org.fijisam.core.amg.GeneratedMask;
import org.fijisam.core.amg.LocalMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoJsonTest {

	@Test
	void writtenJsonDecodesBackToTheSameMasks(@TempDir Path dir) throws Exception {
		int w = 37, h = 23;
		List<GeneratedMask> masks = new ArrayList<>();
		java.util.Random r = new java.util.Random(5);
		for (int i = 0; i < 6; i++) {
			byte[] b = new byte[w * h];
			int cx = r.nextInt(w), cy = r.nextInt(h), rad = 2 + r.nextInt(8);
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad) b[y * w + x] = 1;
			masks.add(new GeneratedMask(LocalMask.of(b, w, h, 0, 0), 0.9f, 0.95f, cx + 0.5, cy + 0.5, new int[] { 0, 0, w,
				h }));
		}
		AmgResult result = new AmgResult(w, h, masks, AmgParameters.defaults(), new AmgTimings());
		Path file = dir.resolve("x_coco.json");
		CocoJson.write(file, result, "x.tif", 7);
		String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		assertTrue(text.contains("\"annotations\"") && text.contains("\"predicted_iou\"") && text.contains(
			"\"point_coords\"") && text.contains("\"crop_box\"") && text.contains("\"stability_score\""), text);
		List<byte[]> back = CocoJson.readMasks(file);
		assertEquals(masks.size(), back.size());
		for (int i = 0; i < masks.size(); i++)
			assertArrayEquals(masks.get(i).mask().toBinaryMask(w, h).data(), back.get(i), "mask " + i);
	}
}
