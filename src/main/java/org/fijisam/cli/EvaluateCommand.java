package org.fijisam.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;

import ij.ImagePlus;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.Normalization;
import org.fijisam.core.ObjectZoom;
import org.fijisam.core.SamException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.ZoomingSegmenter;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.InstancePromptSegmenter;
import org.fijisam.core.amg.InstanceSegmenter;
import org.fijisam.core.InstanceDecoder;
import org.fijisam.core.eval.InstanceMatching;
import org.fijisam.core.eval.PromptedEvaluation;
import org.fijisam.core.eval.SizeBreakdown;
import org.fijisam.core.eval.TokenBreakdown;
import org.fijisam.ij.ImagePlusAdapter;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * {@code evaluate}: prompted segmentation quality (1 point, 1 box, iterative correction) on
 * a dataset folder, through the same Java pipeline users run.
 */
final class EvaluateCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("dataset", "report", "split", "subset",
		"limit", "twin", "corrections", "preset", "points-per-side", "zoom", "zoom-min-window", "zoom-min-factor"));
	private static final Set<String> FLAGS = Set.of("no-prompted");

	/** Whether the prompted figures (point, box, corrections) are measured; automatic ones always are. */
	private boolean prompted = true;

	@Override
	public String name() { return "evaluate"; }

	@Override
	public String summary() { return "measure segmentation quality on a labelled dataset folder"; }

	@Override
	public String help() {
		return "usage: sam-cli evaluate --dataset DIR --report FILE.json [--split FILE --subset NAME] [--model DIR]\n" +
			"                       [--twin DIR] [--limit N] [options]\n" +
			"DIR is laid out like DSB2018: images/ID.png, labels/ID.png (16-bit instance labels), index.json.\n" +
			"For every object: IoU for one positive point at its interior point (the pixel farthest from its\n" +
			"boundary), for its bounding box, and after N corrective points (each at the centre of the largest\n" +
			"error region, previous logits fed back). Report keys: images, objects, point_miou, box_miou,\n" +
			"iterative5_miou; automatic mode: msa, sa50 (mean segmentation accuracy over IoU 0.50..0.95 and\n" +
			"at 0.50, per image, averaged) beside classic_msa, classic_sa50 for ImageJ's classic pipeline.\n" +
			"  --split FILE --subset NAME   only the ids listed under NAME in the JSON file (e.g. training/split.json, val)\n" +
			"  --limit N                    only the first N images\n" +
			"  --corrections N              corrective points (default 5)\n" +
			"  --twin DIR                   also evaluate another model folder (e.g. the random-weight ViT-B twin;\n" +
			"                               prompted figures only)\n" +
			"  --preset P                   automatic-mode preset for msa/sa50 (default microscopy; 'none' skips it)\n" +
			"  --points-per-side N          override the preset's point grid\n" +
			"  --no-prompted                automatic figures only (no point, box, correction prompts)\n" +
			"A model with an instance decoder is also evaluated in mode ais: ais_msa, ais_sa50 (the watershed's\n" +
			"thresholds from its sam.json, min_object_size from the preset).\n" +
			"  --zoom F                     decode small objects again in a window around them, the object taking\n" +
			"                               the share F of the window's side (experimental; default off)\n" +
			"  --zoom-min-window PX         smallest window (default 64)\n" +
			"  --zoom-min-factor Z          zoom only objects that the window enlarges at least Z times (default 1.5)\n" +
			ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		CliArgs args = new CliArgs(argv, 1, valueOptions, FLAGS);
		prompted = !args.flag("no-prompted");
		String dataset = args.get("dataset", null), report = args.get("report", null);
		if (dataset == null || report == null) throw new CliArgs.UsageException("--dataset DIR and --report FILE are required");
		String split = args.get("split", null);
		Dataset data = Dataset.open(Path.of(dataset), split == null ? null : Path.of(split), args.get("subset", "val"),
			args.getInt("limit", 0));
		int corrections = args.getInt("corrections", 5);
		ObjectZoom zoom = zoom(args);
		String preset = args.get("preset", AmgPresets.MICROSCOPY);
		AmgParameters amg = null;
		if (!preset.equals("none")) {
			try {
				amg = AmgPresets.get(preset);
				int side = args.getInt("points-per-side", 0);
				if (side > 0) amg = amg.with("points_per_side", side);
			}
			catch (IllegalArgumentException e) {
				throw new CliArgs.UsageException(e.getMessage());
			}
		}
		// Everything that can fail is tried before the (long) evaluation: the dataset's files, the
		// report's place, both models. A late failure used to cost the whole run and write nothing.
		data.checkFiles();
		Path reportFile = Path.of(report);
		checkReport(reportFile, data);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("dataset", dataset);
		String twin = args.get("twin", null);
		try (SamModel model = ModelOptions.load(args, out); SamModel twinModel = twin == null ? null
			: Models.load(ModelSource.folder(Path.of(twin)), ModelOptions.execution(args)))
		{
			if (twinModel != null) out.println("twin: " + twin + " [" + twinModel.spec().name() + "]");
			r.putAll(evaluate(model, data, corrections, zoom, amg, out, err));
			// Prompted figures only: they are what proves the metric is not trivially satisfied.
			if (twinModel != null) r.put("twin", evaluate(twinModel, data, corrections, zoom, null, out, err));
		}
		String text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(r);
		try {
			AtomicFiles.write(reportFile, tmp -> Files.write(tmp, text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException e) {
			throw FileProblems.error("write the report", reportFile, e);
		}
		out.println("wrote " + report);
		return 0;
	}

	/**
	 * The report must go to a writable place and never over one of the dataset's own files (e.g.
	 * {@code --report DATASET/index.json}); checked by writing and deleting a probe file beside it.
	 */
	static void checkReport(Path report, Dataset data) throws SamException {
		if (Files.isDirectory(report)) throw new SamException("The report " + report + " is a folder; give a file " +
			"name, e.g. " + report.resolve("report.json") + ".");
		new OutputGuard(List.of()).check(report, "report"); // a link, a device: refused now, not after the work
		Path dir = report.toAbsolutePath().getParent();
		try {
			if (data.isInput(report)) throw new SamException("The report " + report + " is one of the dataset's " +
				"own files; it would be overwritten. Choose another report file.");
			Files.createDirectories(dir);
		}
		catch (IOException e) {
			throw FileProblems.error("create the report's folder", dir, e);
		}
		Path probe = null;
		try {
			probe = Files.createTempFile(dir, ".sam-report-probe-", ".tmp");
		}
		catch (IOException e) {
			throw FileProblems.error("write the report in", dir, e);
		}
		finally {
			if (probe != null) try {
				Files.deleteIfExists(probe);
			}
			catch (IOException e) {
				// Left behind: harmless, and the real write will say what is wrong.
			}
		}
	}

	static ObjectZoom zoom(CliArgs args) throws CliArgs.UsageException {
		String z = args.get("zoom", "off");
		if (z.equals("off")) return ObjectZoom.off();
		try {
			return new ObjectZoom(Double.parseDouble(z), args.getInt("zoom-min-window", ObjectZoom.DEFAULT_MIN_WINDOW),
				args.getDouble("zoom-min-factor", ObjectZoom.DEFAULT_MIN_ZOOM));
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException("--zoom takes 'off' or the object's share of the zoom window, e.g. 0.25: " +
				e.getMessage());
		}
	}

	private Map<String, Object> evaluate(SamModel model, Dataset data, int corrections, ObjectZoom zoom,
		AmgParameters amg, PrintStream out, PrintStream err) throws Exception
	{
		// One predictor with a small cache: automatic mode reuses the image's embedding, and zoom
		// windows, snapped to a grid, are often shared by neighbouring objects.
		SamPredictor predictor = new SamPredictor(model, EmbeddingCache.inMemory(256L << 20));
		AutoMaskGenerator generator = amg == null ? null : new AutoMaskGenerator(predictor, amg);
		InstanceDecoder decoder = model.instanceDecoder();
		InstanceSegmenter ais = decoder == null ? null : new InstanceSegmenter(predictor, amg != null ? amg : AmgPresets
			.get(AmgPresets.MICROSCOPY), decoder.parameters());
		InstancePromptSegmenter apg = decoder == null ? null : new InstancePromptSegmenter(predictor, ais.parameters(), ais
			.aisParameters());
		double msa = 0, sa50 = 0, aisMsa = 0, aisSa50 = 0, aisSeconds = 0, apgMsa = 0, apgSa50 = 0, apgSeconds = 0;
		PromptedEvaluation eval = new PromptedEvaluation(new ZoomingSegmenter(predictor, zoom), corrections);
		double point = 0, box = 0, iter = 0, classicMsa = 0, classicSa50 = 0;
		TokenBreakdown byToken = new TokenBreakdown();
		ClassicPipeline classic = new ClassicPipeline(15);
		SizeBreakdown bySize = new SizeBreakdown();
		long objects = 0;
		int images = 0;
		long t0 = System.nanoTime();
		for (String id : data.ids) {
			ImagePlus imp = data.image(id);
			int[] labels = data.labels(id, imp.getWidth(), imp.getHeight());
			SamImage image = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(predictor.spec()));
			ImageEmbedding embedding = predictor.embed(image);
			if (prompted) {
				PromptedEvaluation.Result res = eval.evaluate(image, embedding, labels);
				for (int i = 0; i < res.objects(); i++) {
					point += res.point[i];
					box += res.box[i];
					iter += res.iterative[i];
				}
				byToken.add(res);
				objects += res.objects();
				bySize.add(res);
			}
			if (ais != null) {
				long a0 = System.nanoTime();
				InstanceMatching m = InstanceMatching.of(labels, ais.generate(image, null, null).labels().labels());
				aisSeconds += (System.nanoTime() - a0) / 1e9;
				aisMsa += m.meanAccuracy();
				aisSa50 += m.accuracy(0.5);
				long p0 = System.nanoTime();
				InstanceMatching a = InstanceMatching.of(labels, apg.generate(image, null, null).labels().labels());
				apgSeconds += (System.nanoTime() - p0) / 1e9;
				apgMsa += a.meanAccuracy();
				apgSa50 += a.accuracy(0.5);
			}
			if (generator != null) {
				InstanceMatching auto = InstanceMatching.of(labels, generator.generate(image).labels().labels());
				msa += auto.meanAccuracy();
				sa50 += auto.accuracy(0.5);
			}
			InstanceMatching baseline = InstanceMatching.of(labels, classic.labels(imp));
			classicMsa += baseline.meanAccuracy();
			classicSa50 += baseline.accuracy(0.5);
			images++;
			err.printf(Locale.ROOT, "\r%d/%d images, %d objects", images, data.ids.size(), objects);
		}
		err.println();
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("model", model.spec().name());
		r.put("provider", model.executionSummary());
		r.put("zoom", zoom.toString());
		r.put("images", images);
		r.put("prompted", prompted);
		r.put("objects", objects);
		if (prompted) {
			r.put("point_miou", round(point / Math.max(1, objects)));
			r.put("box_miou", round(box / Math.max(1, objects)));
			r.put("iterative" + corrections + "_miou", round(iter / Math.max(1, objects)));
			r.put("by_object_area", bySize.toMap());
			Double[] tokenMiou = byToken.meanByToken();
			for (int t = 0; t < tokenMiou.length; t++)
				if (tokenMiou[t] != null) tokenMiou[t] = round(tokenMiou[t]);
			r.put("point_miou_by_token", tokenMiou);
			r.put("point_oracle_miou", round(byToken.bestAmbiguityMean()));
		}
		if (generator != null) {
			r.put("amg_preset", amg.toString());
			r.put("msa", round(msa / images));
			r.put("sa50", round(sa50 / images));
		}
		if (ais != null) {
			r.put("ais_parameters", ais.aisParameters().toString() + ", min_object_size " + ais.parameters().minObjectSize());
			r.put("ais_msa", round(aisMsa / images));
			r.put("ais_sa50", round(aisSa50 / images));
			r.put("ais_seconds_per_image", round(aisSeconds / images));
			r.put("apg_msa", round(apgMsa / images));
			r.put("apg_sa50", round(apgSa50 / images));
			r.put("apg_seconds_per_image", round(apgSeconds / images));
		}
		r.put("classic_msa", round(classicMsa / images));
		r.put("classic_sa50", round(classicSa50 / images));
		r.put("seconds", round((System.nanoTime() - t0) / 1e9));
		if (prompted) {
			out.printf(Locale.ROOT, "%s: %d images, %d objects: point mIoU %.4f, box mIoU %.4f, after %d corrections %.4f%n",
				model.spec().name(), images, objects, point / Math.max(1, objects), box / Math.max(1, objects), corrections,
				iter / Math.max(1, objects));
			out.print(bySize.describe());
			out.print(byToken.describe());
		}
		if (generator != null) out.printf(Locale.ROOT, "automatic mode: mSA %.4f, SA50 %.4f%n", msa / images, sa50 /
			images);
		if (ais != null) out.printf(Locale.ROOT, "mode ais: mSA %.4f, SA50 %.4f (%.2f s per image, embeddings cached)%n",
			aisMsa / images, aisSa50 / images, aisSeconds / images);
		if (apg != null) out.printf(Locale.ROOT, "mode apg: mSA %.4f, SA50 %.4f (%.2f s per image, embeddings cached)%n",
			apgMsa / images, apgSa50 / images, apgSeconds / images);
		out.printf(Locale.ROOT, "ImageJ classic pipeline (Otsu, watershed, analyze particles): mSA %.4f, SA50 %.4f%n",
			classicMsa / images, classicSa50 / images);
		return r;
	}

	static double round(double v) {
		return Math.round(v * 10000) / 10000.0;
	}
}
