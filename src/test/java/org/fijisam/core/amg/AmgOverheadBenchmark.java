package org.fijisam.core.amg;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Java-side cost of AMG (filters, upsampling, NMS, labels) at the default model's sizes
 * (input 1024, low-res 256, 32 x 32 grid), with a pure-Java fake model whose decoder returns
 * discs instantly. Run with -Damg.bench=true.
 */
@EnabledIfSystemProperty(named = "amg.bench", matches = "true")
class AmgOverheadBenchmark {

	/** Discs of radius 6, 10, 14 low-res px around each point; IoU such that about half pass. */
	static final class FakeModel implements SamModel {
		final ModelSpec spec = new ModelSpec("fake", 1024, new float[] { 123.675f, 116.28f, 103.53f }, new float[] {
			58.395f, 57.12f, 57.375f }, new int[] { 256, 64, 64 }, 256, 4);

		@Override
		public ModelSpec spec() { return spec; }

		@Override
		public ImageEncoder encoder() {
			return (FloatBuffer in) -> new float[spec.embeddingLength()];
		}

		@Override
		public MaskDecoder decoder() {
			return (ImageEmbedding e, List<DecoderPrompt> prompts) -> {
				List<DecoderOutput> out = new ArrayList<>();
				int l = 256;
				for (DecoderPrompt p : prompts) {
					float px = p.coords()[0] / 4, py = p.coords()[1] / 4;
					float[][] maps = new float[4][l * l];
					int[] radius = { 10, 14, 10, 6 };
					for (int k = 0; k < 4; k++)
						for (int y = 0; y < l; y++)
							for (int x = 0; x < l; x++)
								maps[k][y * l + x] = (float) (4 * (radius[k] - Math.hypot(x + 0.5 - px, y + 0.5 - py)));
					out.add(new DecoderOutput(new float[] { 0.9f, 0.85f, 0.95f, 0.9f }, maps));
				}
				return out;
			};
		}

		@Override
		public String id() { return "fake"; }

		@Override
		public String executionSummary() { return "Java"; }

		@Override
		public void close() {}
	}

	@Test
	void overheadAtDefaultSizes() throws Exception {
		float[] c = new float[1024 * 1024];
		for (int i = 0; i < c.length; i++)
			c[i] = i % 1024 / 4f;
		AmgParameters p = AmgParameters.defaults().withStabilityScoreThresh(0.7);
		AutoMaskGenerator g = new AutoMaskGenerator(new SamPredictor(new FakeModel()), p);
		for (int run = 0; run < 3; run++) {
			AmgResult r = g.generate(SamImages.ofNormalised(1024, 1024, c, c, c));
			r.labels();
			System.out.println("AMG overhead run " + run + ": " + r.timings());
		}
	}

	/**
	 * The real thing: {@code -Damg.model=DIR} (a model folder with the default model's sizes)
	 * runs the 32 x 32 grid on a 1024 x 1024 synthetic nuclei image and prints the split.
	 */
	@Test
	@EnabledIfSystemProperty(named = "amg.model", matches = ".+")
	void defaultGridOnA1024Slice() throws Exception {
		float[] c = new float[1024 * 1024];
		java.util.Random r = new java.util.Random(1);
		for (int k = 0; k < 150; k++) {
			int cx = r.nextInt(1024), cy = r.nextInt(1024), rad = 8 + r.nextInt(14);
			for (int y = Math.max(0, cy - rad); y < Math.min(1024, cy + rad); y++)
				for (int x = Math.max(0, cx - rad); x < Math.min(1024, cx + rad); x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad) c[y * 1024 + x] = 200;
		}
		try (org.fijisam.onnx.OnnxSamModel model = org.fijisam.onnx.OnnxSamModel.load(org.fijisam.model.ModelSource
			.folder(java.nio.file.Path.of(System.getProperty("amg.model"))), org.fijisam.core.ExecutionOptions.cpu()))
		{
			System.out.println("model " + model.spec() + " on " + model.executionSummary() + ", batched decoder " + model
				.batchedDecoder());
			int side = Integer.getInteger("amg.side", 32);
			for (String preset : new String[] { "sam_default", "microscopy" }) {
				AmgParameters params = AmgPresets.get(preset).withPointsPerSide(side).with("points_per_batch", Integer
					.getInteger("amg.batch", 64));
				AutoMaskGenerator g = new AutoMaskGenerator(new SamPredictor(model), params);
				for (int run = 0; run < 2; run++) {
					AmgResult res = g.generate(SamImages.ofNormalised(1024, 1024, c, c, c));
					res.labels();
					System.out.println("AMG " + preset + " run " + run + ": " + res.timings());
				}
			}
		}
	}
}
