package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fijisam.Fixtures;
import org.fijisam.fake.FakeSamModel;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predictor on the fake model (no ONNX Runtime): embeddings are cached as they are, and the
 * decoder-output rule picks the tokens the "known" fixture's README predicts.
 */
class SamPredictorTest {

	@Test
	void embeddingsAreReusedAndTokensChosenBySamsRule() throws Exception {
		try (FakeSamModel model = FakeSamModel.known()) {
			SamPredictor p = new SamPredictor(model, EmbeddingCache.inMemory(1 << 20));
			ImageEmbedding e = p.embed(Fixtures.grey(256, 256, 10));
			assertSame(e, p.embed(Fixtures.grey(256, 256, 10)));
			assertEquals(1, model.encodes());
			assertEquals(List.of(FakeSamModel.EMBEDDING), List.of(e.tensors().get(0).name()));
			// A lone point: the best-scored ambiguity mask (token 2, IoU 0.95, radius 8 low-res px).
			Segmentation point = p.segment(e, Prompt.point(130, 82), MaskSelection.AUTO);
			assertEquals(4, point.candidates().size());
			assertEquals(2, point.selected().get(0).token());
			assertEquals(193, point.selected().get(0).lowResArea());
			assertEquals(1, p.segment(e, Prompt.point(130, 82), MaskSelection.LARGEST).selected().get(0).token());
			assertEquals(3, p.segment(e, Prompt.point(130, 82), MaskSelection.SMALLEST).selected().get(0).token());
			assertEquals(3, p.segment(e, Prompt.point(130, 82), MaskSelection.ALL).selected().size());
			// A box: the single mask (token 0), the box itself.
			Segmentation box = p.segment(e, Prompt.box(40, 40, 120, 200), MaskSelection.AUTO);
			assertEquals(0, box.selected().get(0).token());
			assertEquals(800, box.selected().get(0).lowResArea());
		}
	}

	@Test
	void aDecoderWithoutTheSingleMaskTokenGivesTokensOneToThree(@TempDir Path dir) throws Exception {
		String json = new String(Files.readAllBytes(Fixtures.folder("known").resolve("sam.json")),
			StandardCharsets.UTF_8).replace("\"mask_outputs\": 4", "\"mask_outputs\": 3");
		Files.write(dir.resolve("sam.json"), json.getBytes(StandardCharsets.UTF_8));
		try (FakeSamModel model = FakeSamModel.of(ModelSource.folder(dir))) {
			assertEquals(3, model.spec().maskOutputs());
			SamPredictor p = new SamPredictor(model);
			ImageEmbedding e = p.embed(Fixtures.grey(256, 256, 10));
			Segmentation s = p.segment(e, Prompt.point(130, 82), MaskSelection.SINGLE);
			assertEquals(List.of(1, 2, 3), s.candidates().stream().map(MaskCandidate::token).collect(
				java.util.stream.Collectors.toList()));
			assertEquals(2, s.selected().get(0).token(), "no single mask: the best-scored stands in");
		}
	}

	@Test
	void anEmbeddingOfAnotherFamilyIsRefusedByName() throws Exception {
		try (FakeSamModel model = FakeSamModel.known()) {
			ImageEmbedding foreign = new ImageEmbedding(List.of(new EmbeddingTensor("image_embeddings", new int[] { 16,
				16, 16 }, new float[16 * 16 * 16])), new ResizeGeometry(256, 256, 256), "x");
			SamException ex = assertThrows(SamException.class, () -> new SamPredictor(model).segment(foreign, Prompt
				.point(10, 10), MaskSelection.AUTO));
			assertTrue(ex.getMessage().contains("no tensor '" + FakeSamModel.EMBEDDING + "'"), ex.getMessage());
		}
	}
}
