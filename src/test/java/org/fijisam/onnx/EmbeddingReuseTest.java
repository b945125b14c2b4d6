package org.fijisam.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.junit.jupiter.api.Test;

/**
 * The decoder keeps a direct copy of the last embedding between calls. With the built-in model
 * (whose answers depend on the embedding, unlike the fixtures'), switching between images must
 * always decode the embedding passed in.
 */
class EmbeddingReuseTest {

	static float[] logits(SamPredictor p, ImageEmbedding e) throws Exception {
		return p.segment(e, Prompt.point(64.5, 64.5), MaskSelection.ALL).candidates().get(0).lowRes().logits();
	}

	static ImageEmbedding embed(SamPredictor p, float blobX) throws Exception {
		float[] c = new float[128 * 128];
		for (int y = 0; y < 128; y++)
			for (int x = 0; x < 128; x++)
				c[y * 128 + x] = Math.hypot(x - blobX, y - 64) < 20 ? 200f : 20f;
		return p.embed(SamImages.ofNormalised(128, 128, c, c, c));
	}

	@Test
	void alternatingImagesDecodeTheirOwnEmbedding() throws Exception {
		try (OnnxSamModel m = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu());
			OnnxSamModel fresh = OnnxSamModel.load(ModelSource.embeddedDefault(), ExecutionOptions.cpu()))
		{
			SamPredictor p = new SamPredictor(m);
			ImageEmbedding a = embed(p, 64), b = embed(p, 30);
			float[] a1 = logits(p, a), b1 = logits(p, b), a2 = logits(p, a);
			assertFalse(Arrays.equals(a1, b1), "different images give different masks");
			assertArrayEquals(a1, a2, "back to the first image: its own embedding, not the last one");
			// the same as a decoder that never saw image a
			assertArrayEquals(b1, logits(new SamPredictor(fresh), b));
		}
	}
}
