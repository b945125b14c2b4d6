package org.fijisam.core.propagation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * Not a test: how long propagation takes with the embeddings computed on the way (cold) and
 * once they exist (warm), on 50 synthetic planes of
 * 512 x 512 with three moving discs and the built-in model (or a model folder). Run with
 *
 * <pre>
 * mvn -B -q -o test-compile
 * java -cp "target/classes:target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     org.fijisam.core.propagation.PropagationBenchmark [MODEL_DIR] [--objects 1|2|3]
 * </pre>
 */
public final class PropagationBenchmark {

	private static final int PLANES = 50, SIZE = 512, START = 25;
	private static final double[][] DISCS = { { 100, 120, 40, 3, 1 }, { 300, 300, 30, -2, 3 }, { 400, 100, 50, -1, -2 } };

	public static void main(String[] args) throws Exception {
		List<float[]> planes = new ArrayList<>();
		for (int z = 0; z < PLANES; z++)
			planes.add(plane(z));
		PlaneSource source = new PlaneSource() {
			@Override
			public int size() { return PLANES; }

			@Override
			public SamImage plane(int index) {
				float[] p = planes.get(index);
				return SamImages.ofNormalised(SIZE, SIZE, p, p, p);
			}
		};
		String modelDir = null;
		int count = DISCS.length;
		for (int i = 0; i < args.length; i++)
			if (args[i].equals("--objects")) count = Integer.parseInt(args[++i]);
			else modelDir = args[i];
		try (SamModel model = Models.load(ModelSource.of(modelDir), ExecutionOptions.cpu())) {
			System.out.printf(Locale.ROOT, "model %s (%s)%n", model.spec().name(), model.executionSummary());
			// Cold: a fresh cache, so each plane is encoded as propagation reaches it (what a user
			// waits for the first time); the start plane's encoding for the click is counted too.
			// Twice: encoding each plane when it is reached, then with the next plane encoded in
			// the background while the current one is decoded (the default).
			List<StartObject> objects = null;
			PropagationResult r = null;
			for (boolean prefetch : new boolean[] { false, true }) {
				SamPredictor cold = new SamPredictor(model, EmbeddingCache.inMemory(4L << 30));
				long t0 = System.nanoTime();
				objects = startObjects(cold, source, count);
				r = new ObjectPropagator(cold, PropagationRules.defaults(), prefetch).propagate(source, START, objects,
					null, null);
				double coldS = (System.nanoTime() - t0) / 1e9;
				System.out.printf(Locale.ROOT, "%d object(s) through %d planes of %dx%d from plane %d, embeddings computed " +
					"on the way, %s: %.2f s%n", count, PLANES, SIZE, SIZE, START + 1, prefetch ?
						"next plane encoded in the background" : "each plane encoded when reached", coldS);
				System.out.println("  timings: " + cold.timings());
			}
			// Warm: the same cache now holds every plane, as after a first run or a prefetch.
			SamPredictor warm = new SamPredictor(model, EmbeddingCache.inMemory(4L << 30));
			long t1 = System.nanoTime();
			for (int z = 0; z < PLANES; z++)
				warm.embed(source.plane(z));
			double embedS = (System.nanoTime() - t1) / 1e9;
			objects = startObjects(warm, source, count);
			long t2 = System.nanoTime();
			r = new ObjectPropagator(warm, PropagationRules.defaults()).propagate(source, START, objects, null, null);
			double propagateS = (System.nanoTime() - t2) / 1e9;
			System.out.printf(Locale.ROOT, "embedding %d planes of %dx%d: %.2f s (%.0f ms a plane)%n", PLANES, SIZE, SIZE,
				embedS, 1000 * embedS / PLANES);
			System.out.printf(Locale.ROOT, "propagating %d object(s) from plane %d, embeddings cached: %.2f s (%.1f ms a " +
				"plane)%n", objects.size(), START + 1, propagateS, 1000 * propagateS / (PLANES - 1));
			for (PropagatedObject o : r.objects())
				System.out.println("  " + o);
			System.out.println("timings: " + warm.timings());
		}
	}

	private static List<StartObject> startObjects(SamPredictor predictor, PlaneSource source, int count)
		throws Exception
	{
		List<StartObject> objects = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			double[] d = DISCS[i];
			objects.add(StartObject.of(i + 1, predictor.segment(predictor.embed(source.plane(START)), Prompt.point(d[0] +
				d[3] * START, d[1] + d[4] * START), MaskSelection.AUTO)));
		}
		return objects;
	}

	/** Background 500, discs 3000 (a fluorescence-like 16-bit range, stretched to 0..255 here). */
	private static float[] plane(int z) {
		float[] p = new float[SIZE * SIZE];
		Arrays.fill(p, 500 * 255f / 3000);
		for (double[] d : DISCS) {
			double cx = d[0] + d[3] * z, cy = d[1] + d[4] * z, r = d[2];
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++) {
					double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
					if (dx * dx + dy * dy <= r * r) p[y * SIZE + x] = 255f;
				}
		}
		return p;
	}
}
