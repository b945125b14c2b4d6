package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.google.gson.GsonBuilder;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.AmgTimings;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.LowResMask;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskPostprocessor;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Preprocessor;
import org.fijisam.core.Prompt;
import org.fijisam.core.ResizeGeometry;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;

/**
 * {@code bench}: encoder, decoder (single prompt and batches of 64) and Java-side pre/post
 * processing times, and peak memory, for any model folder. Medians of repeated runs.
 */
final class BenchCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("size", "repeats", "json", "auto-grid"));

	@Override
	public String name() { return "bench"; }

	@Override
	public String summary() { return "measure encoder, decoder and Java pre/post-processing speed"; }

	@Override
	public String help() {
		return "usage: sam-cli bench [--model DIR] [--size N] [--repeats N] [--json FILE] [options]\n" +
			"Times, as medians after warm-up, on a synthetic 16-bit image of N x N pixels (default 1024):\n" +
			"Java preprocessing (percentile normalisation, resize, normalise, pad), the encoder, the decoder\n" +
			"for one point prompt and per prompt in batches of 64, upsampling + thresholding one kept mask,\n" +
			"and peak memory (Java heap, and the process's resident set including ONNX Runtime).\n" +
			"  --size N       image side in pixels (default 1024)\n" +
			"  --repeats N    timed repetitions of the encoder (default 5; 10x that for the rest)\n" +
			"  --json FILE    also write the figures as JSON\n" +
			"  --auto-grid N  also time automatic mask generation (N x N point grid, SAM's default\n" +
			"                 thresholds, encoder included) on a synthetic image of bright nuclei; 0 = skip\n" +
			"                 (default 32)\n" + ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		CliArgs args = new CliArgs(argv, 1, valueOptions, new HashSet<>());
		if (!args.positional().isEmpty()) throw new CliArgs.UsageException("bench takes no positional argument");
		// The report's path is checked before minutes of timing, not after.
		Path jsonPath = args.get("json", null) == null ? null : Path.of(args.get("json", null));
		if (jsonPath != null) new OutputGuard(List.of()).check(jsonPath, "benchmark report (--json)");
		int size = args.getInt("size", 1024);
		int repeats = args.getInt("repeats", 5);
		if (size < 2 || repeats < 1) throw new CliArgs.UsageException("--size must be >= 2 and --repeats >= 1");
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("image", size + "x" + size + " 16-bit");
		r.put("cpu_cores", Runtime.getRuntime().availableProcessors());
		r.put("java", System.getProperty("java.version"));

		short[] pixels = new short[size * size];
		Random rnd = new Random(1);
		for (int i = 0; i < pixels.length; i++)
			pixels[i] = (short) (1000 + rnd.nextInt(3000));
		try (SamModel model = ModelOptions.load(args, out)) {
			r.put("model", model.spec().name());
			r.put("provider", model.executionSummary());
			SamPredictor predictor = new SamPredictor(model, EmbeddingCache.disabled());
			Preprocessor pre = new Preprocessor(model.spec());
			int s = model.spec().inputSize();
			FloatBuffer buf = ByteBuffer.allocateDirect(4 * 3 * s * s).order(ByteOrder.nativeOrder()).asFloatBuffer();
			SamImage[] image = new SamImage[1];
			double preMs = Stopwatch.medianMs(5, 10 * repeats, () -> {
				image[0] = SamImages.fromGrey(ArrayImgs.unsignedShorts(pixels, size, size), Normalization.auto());
				pre.preprocess(image[0], buf);
			});
			r.put("preprocess_ms", round(preMs));
			ImageEmbedding[] emb = new ImageEmbedding[1];
			double encMs = Stopwatch.medianMs(1, repeats, () -> emb[0] = predictor.embed(image[0]));
			r.put("encoder_ms", round(encMs));

			Prompt one = Prompt.point(size / 2.0 + 0.5, size / 2.0 + 0.5);
			double decMs = Stopwatch.medianMs(5, 10 * repeats, () -> predictor.segment(emb[0], one,
				MaskSelection.BEST_SCORE));
			r.put("decoder_single_ms", round(decMs));
			// What SAM's predictor returns for a click: the three ambiguity masks at full
			// resolution (the figure compared with the official predict()).
			double promptMs = Stopwatch.medianMs(5, 10 * repeats, () -> {
				Segmentation all = predictor.segment(emb[0], one, MaskSelection.ALL);
				for (MaskCandidate c : all.candidates())
					all.mask(c);
			});
			r.put("one_prompt_all_masks_full_res_ms", round(promptMs));
			List<Prompt> batch = new ArrayList<>();
			for (int i = 0; i < 64; i++)
				batch.add(Prompt.point((i % 8 + 0.5) * size / 8.0, (i / 8 + 0.5) * size / 8.0));
			double batchMs = Stopwatch.medianMs(2, 2 * repeats, () -> predictor.segment(emb[0], batch,
				MaskSelection.ALL));
			r.put("decoder_batch64_ms", round(batchMs));
			r.put("decoder_per_prompt_in_batch64_ms", round(batchMs / 64));
			r.put("decoder_batched", model.batchedDecoder());

			Segmentation seg = predictor.segment(emb[0], one, MaskSelection.BEST_SCORE);
			LowResMask low = seg.best().lowRes();
			ResizeGeometry g = emb[0].geometry();
			double upMs = Stopwatch.medianMs(10, 20 * repeats, () -> MaskPostprocessor.toMask(low.logits(), low.size(),
				g));
			r.put("upsample_threshold_ms", round(upMs));

			int grid = args.getInt("auto-grid", 32);
			if (grid > 0) autoMaskGeneration(model, size, grid, r);
		}
		r.put("peak_heap_mb", round(MemoryProbe.peakHeapBytes() / 1048576.0));
		long rss = MemoryProbe.peakRssBytes();
		r.put("peak_rss_mb", rss < 0 ? "unknown" : (Object) round(rss / 1048576.0));
		for (Map.Entry<String, Object> e : r.entrySet())
			out.printf(Locale.ROOT, "%-34s %s%n", e.getKey(), e.getValue());
		if (jsonPath != null) {
			String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(r);
			FileProblems.attempt("write the benchmark report", jsonPath, () -> AtomicFiles.write(jsonPath, tmp -> Files
				.write(tmp, text.getBytes(StandardCharsets.UTF_8))));
		}
		return 0;
	}

	/** Times one "segment everything" run, encoder included, and reports its split. */
	private static void autoMaskGeneration(SamModel model, int size, int grid, Map<String, Object> r)
		throws Exception
	{
		SamImage nuclei = SamImages.fromGrey(ArrayImgs.unsignedShorts(syntheticNuclei(size), size, size),
			Normalization.auto());
		AutoMaskGenerator gen = new AutoMaskGenerator(new SamPredictor(model, EmbeddingCache.disabled()), AmgParameters
			.defaults().withPointsPerSide(grid));
		gen.generate(nuclei); // warm-up
		long t0 = System.nanoTime();
		AmgResult res = gen.generate(nuclei);
		double total = (System.nanoTime() - t0) / 1e6;
		AmgTimings t = res.timings();
		r.put("auto_grid", grid + "x" + grid);
		r.put("auto_total_ms", round(total));
		r.put("auto_encoder_ms", round(t.encoderMs()));
		r.put("auto_decoder_ms", round(t.decoderMs()));
		r.put("auto_filter_ms", round(t.filterMs()));
		r.put("auto_postprocess_ms", round(t.postprocessMs() + t.labelMs()));
		r.put("auto_masks_kept", res.masks().size());
	}

	/** Bright discs on a dark, slightly noisy background: a stand-in for a nuclei image. */
	static short[] syntheticNuclei(int size) {
		short[] px = new short[size * size];
		Random rnd = new Random(7);
		for (int i = 0; i < px.length; i++)
			px[i] = (short) (200 + rnd.nextInt(50));
		int n = Math.max(1, size * size / 8000);
		for (int k = 0; k < n; k++) {
			int cx = rnd.nextInt(size), cy = rnd.nextInt(size), rad = 6 + rnd.nextInt(12);
			for (int y = Math.max(0, cy - rad); y < Math.min(size, cy + rad); y++)
				for (int x = Math.max(0, cx - rad); x < Math.min(size, cx + rad); x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad) px[y * size + x] = (short) (2000 + rnd
						.nextInt(200));
		}
		return px;
	}

	static double round(double v) {
		return Math.round(v * 100) / 100.0;
	}
}
