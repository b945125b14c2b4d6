package org.fijisam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.fijisam.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sam-cli models convert}: a converted folder that {@code segment} then runs with. */
class ModelsConvertCliTest {

	@Test
	void convertsAnOfficialCheckpointIntoAModelFolder(@TempDir Path tmp) throws Exception {
		Path model = tmp.resolve("model");
		SamCliTest.Run r = new SamCliTest.Run("models", "convert", Fixtures.folder("convert").resolve(
			"sam1-tiny-microsam.pt").toString(), "--family", "sam1", "--size", "tiny", "--output", model.toString());
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("note: the weights are the checkpoint's \"model_state\""), r.out);
		assertTrue(r.out.contains("wrote " + model.toAbsolutePath()), r.out);
		assertTrue(Files.isRegularFile(model.resolve("sam.json")));

		Path img = SamCliTest.image16(tmp, 96, 64);
		SamCliTest.Run seg = new SamCliTest.Run("segment", img.toString(), "--model", model.toString(), "--point",
			"40,30", "--output", tmp.resolve("labels.tif").toString());
		assertEquals(0, seg.code, seg.err);

		SamCliTest.Run again = new SamCliTest.Run("models", "convert", Fixtures.folder("convert").resolve(
			"sam1-tiny.pt").toString(), "--family", "sam1", "--size", "tiny", "--output", model.toString());
		assertEquals(1, again.code);
		assertTrue(again.err.contains("already exists"), again.err);

		SamCliTest.Run missing = new SamCliTest.Run("models", "convert", "x.pt", "--family", "sam1");
		assertEquals(2, missing.code);
		assertFalse(Files.exists(tmp.resolve("x")));
	}
}
