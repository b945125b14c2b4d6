package org.fijisam.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fijisam.Fixtures;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamModel;
import org.fijisam.fake.FakeSamModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The family -> loader registry: sam.json's family picks the loader; unknown families are named. */
class ModelsTest {

	/** A copy of the "known" fixture's descriptor with another family (no ONNX files needed to fail). */
	static ModelSource withFamily(Path dir, String familyLine) throws Exception {
		String json = new String(Files.readAllBytes(Fixtures.folder("known").resolve("sam.json")),
			StandardCharsets.UTF_8);
		String changed = json.replaceFirst("\"family\"\\s*:\\s*\"sam1\",?", familyLine);
		assertTrue(!changed.equals(json), "the fixture names its family");
		Files.write(dir.resolve("sam.json"), changed.getBytes(StandardCharsets.UTF_8));
		return ModelSource.folder(dir);
	}

	@Test
	void sam1IsRegisteredAndLoadsThroughTheInterface() throws Exception {
		assertTrue(Models.families().contains("sam1"), Models.families().toString());
		try (SamModel m = Models.load(ModelSource.folder(Fixtures.folder("known")), ExecutionOptions.cpu().withThreads(
			1)))
		{
			assertTrue(m.batchedDecoder());
			assertTrue(m.executionSummary().startsWith("CPU"), m.executionSummary());
			assertEquals(256, m.spec().inputSize());
		}
	}

	@Test
	void unknownFamilyListsTheKnownOnes(@TempDir Path dir) throws Exception {
		ModelException e = assertThrows(ModelException.class, () -> Models.load(withFamily(dir,
			"\"family\": \"sam9\","), ExecutionOptions.cpu()));
		assertTrue(e.getMessage().contains("family 'sam9' is not supported"), e.getMessage());
		assertTrue(e.getMessage().contains("sam1 (SAM ViT-B/L/H"), e.getMessage());
		assertTrue(e.getMessage().contains("sam.json"), e.getMessage());
	}

	@Test
	void missingFamilyIsNamed(@TempDir Path dir) throws Exception {
		ModelException e = assertThrows(ModelException.class, () -> Models.load(withFamily(dir, ""), ExecutionOptions
			.cpu()));
		assertTrue(e.getMessage().contains("names no 'family'") && e.getMessage().contains("sam1"), e.getMessage());
	}

	@Test
	void aRegisteredFamilyIsChosenByItsName(@TempDir Path dir) throws Exception {
		Models.register(new ModelFamily() {
			@Override
			public String name() { return "fake-known"; }

			@Override
			public String covers() { return "the test fixture in plain Java"; }

			@Override
			public SamModel load(ModelSource source, ExecutionOptions options) throws ModelException {
				return FakeSamModel.of(source);
			}
		});
		try (SamModel m = Models.load(withFamily(dir, "\"family\": \"fake-known\","), ExecutionOptions.cpu())) {
			assertTrue(m instanceof FakeSamModel);
			assertEquals(4, m.spec().maskOutputs());
		}
	}
}
