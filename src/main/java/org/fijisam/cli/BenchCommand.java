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
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.LowResMask;
import org.fijisam.core.MaskPostprocessor;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Preprocessor;
import org.fijisam.core.Prompt;
import org.fijisam.core.ResizeGeometry;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.onnx.OnnxSamModel;

/**
 * {@code bench}: encoder, decoder (single prompt and batches of 64) and Java-side pre/post
 * processing times, and peak memory, for any model folder. Medians of repeated runs.
 */
final class BenchCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("size", "repeats", "json"));

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
			"  --json FILE    also write the figures as JSON\n" + ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		CliArgs args = new CliArgs(argv, 1, valueOptions, new HashSet<>());
		if (!args.positional().isEmpty()) throw new CliArgs.UsageException("bench takes no positional argument");
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
		try (OnnxSamModel model = ModelOptions.load(args, out)) {
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
		}
		r.put("peak_heap_mb", round(MemoryProbe.peakHeapBytes() / 1048576.0));
		long rss = MemoryProbe.peakRssBytes();
		r.put("peak_rss_mb", rss < 0 ? "unknown" : (Object) round(rss / 1048576.0));
		for (Map.Entry<String, Object> e : r.entrySet())
			out.printf(Locale.ROOT, "%-34s %s%n", e.getKey(), e.getValue());
		String json = args.get("json", null);
		if (json != null) {
			String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(r);
			AtomicFiles.write(Path.of(json), tmp -> Files.write(tmp, text.getBytes(StandardCharsets.UTF_8)));
		}
		return 0;
	}

	static double round(double v) {
		return Math.round(v * 100) / 100.0;
	}
}
