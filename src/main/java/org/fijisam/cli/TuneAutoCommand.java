package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;

import ij.ImagePlus;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.FileProblems;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.eval.InstanceMatching;
import org.fijisam.ij.ImagePlusAdapter;

/**
 * {@code tune-auto}: chooses automatic-segmentation thresholds on a labelled dataset (the
 * training split: tuning on the images one reports on would flatter the figures). Each image
 * is decoded once with the loosest thresholds, then every combination of predicted-IoU
 * threshold, stability threshold and minimum object size is selected, painted and scored
 * (mSA over IoU 0.50..0.95, SA50).
 */
final class TuneAutoCommand implements SamCli.Command {

	private static final Set<String> OPTIONS = new HashSet<>(Arrays.asList("dataset", "report", "split", "subset",
		"limit", "preset", "iou-values", "stability-values", "min-size-values"));

	@Override
	public String name() { return "tune-auto"; }

	@Override
	public String summary() { return "choose automatic-segmentation thresholds on a labelled dataset"; }

	@Override
	public String help() {
		return "usage: sam-cli tune-auto --dataset DIR --report FILE.json [--split FILE --subset train] [--limit N]\n" +
			"                        [--preset P] [--iou-values LIST] [--stability-values LIST] [--min-size-values LIST]\n" +
			"Sweeps the AMG thresholds on a dataset laid out like DSB2018 and reports mSA and SA50 per setting,\n" +
			"best first, with the lines to paste into presets.properties.\n" +
			"  --subset NAME         list of the split file to use (default train)\n" +
			"  --preset P            base parameters (default microscopy); --points-per-side etc. override them\n" +
			"  --iou-values LIST     pred_iou_thresh values (default 0.5,0.6,0.7,0.8,0.88)\n" +
			"  --stability-values L  stability_score_thresh values (default 0.6,0.7,0.8,0.9,0.95)\n" +
			"  --min-size-values L   min_object_size values (default 0,10,25,50,100)\n" + ModelOptions.HELP;
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		Set<String> valueOptions = new HashSet<>(OPTIONS);
		valueOptions.addAll(ModelOptions.VALUE_OPTIONS);
		for (String key : AmgParameters.keys())
			valueOptions.add(key.replace('_', '-'));
		CliArgs args = new CliArgs(argv, 1, valueOptions, new HashSet<>());
		String dataset = args.get("dataset", null), report = args.get("report", null);
		if (dataset == null || report == null) throw new CliArgs.UsageException(
			"--dataset DIR and --report FILE are required");
		AmgParameters base = SegmentCommand.parse(() -> AmgPresets.get(args.get("preset", AmgPresets.MICROSCOPY)));
		for (String key : AmgParameters.keys()) {
			String v = args.get(key.replace('_', '-'), null);
			if (v != null) {
				AmgParameters b = base;
				base = SegmentCommand.parse(() -> b.with(key, v));
			}
		}
		double[] ious = CliArgs.numbers("iou-values", args.get("iou-values", "0.5,0.6,0.7,0.8,0.88"), 1, 100);
		double[] stabs = CliArgs.numbers("stability-values", args.get("stability-values", "0.6,0.7,0.8,0.9,0.95"), 1,
			100);
		double[] sizes = CliArgs.numbers("min-size-values", args.get("min-size-values", "0,10,25,50,100"), 1, 100);
		final AmgParameters b0 = base;
		AmgParameters decodeParams = SegmentCommand.parse(() -> b0.withPredIouThresh(Arrays.stream(ious).min().getAsDouble())
			.withStabilityScoreThresh(Arrays.stream(stabs).min().getAsDouble()));
		List<AmgParameters> settings = new ArrayList<>();
		for (double iou : ious)
			for (double st : stabs)
				for (double size : sizes) {
					AmgParameters d = decodeParams;
					settings.add(SegmentCommand.parse(() -> d.withPredIouThresh(iou).withStabilityScoreThresh(st).with(
						"min_object_size", size)));
				}
		String split = args.get("split", null);
		Dataset data = Dataset.open(Path.of(dataset), split == null ? null : Path.of(split), args.get("subset", "train"),
			args.getInt("limit", 0));
		// As for evaluate: the dataset's files and the report's place are checked before the sweep.
		data.checkFiles();
		Path reportFile = Path.of(report);
		EvaluateCommand.checkReport(reportFile, data);
		double[] msa = new double[settings.size()], sa50 = new double[settings.size()];
		int images = 0;
		long t0 = System.nanoTime();
		try (SamModel model = ModelOptions.load(args, out)) {
			AutoMaskGenerator generator = new AutoMaskGenerator(new SamPredictor(model, EmbeddingCache.disabled()),
				decodeParams);
			TerminalProgress bar = new TerminalProgress(err, "tune-auto");
			for (String id : data.ids) {
				ImagePlus imp = data.image(id);
				int[] truth = data.labels(id, imp.getWidth(), imp.getHeight());
				SamImage image = ImagePlusAdapter.toSamImage(imp, 1, 1, null, Normalization.auto().forModel(model.spec()));
				int done = images;
				AutoMaskGenerator.Decoded decoded = generator.decode(image, (f, m) -> bar.progress((done + f) / data.ids
					.size(), id), null);
				for (int s = 0; s < settings.size(); s++) {
					InstanceMatching m = InstanceMatching.of(truth, generator.select(decoded, settings.get(s)).labels()
						.labels());
					msa[s] += m.meanAccuracy();
					sa50[s] += m.accuracy(0.5);
				}
				images++;
			}
			bar.finish();
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (int s = 0; s < settings.size(); s++) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("pred_iou_thresh", settings.get(s).predIouThresh());
			row.put("stability_score_thresh", settings.get(s).stabilityScoreThresh());
			row.put("min_object_size", settings.get(s).minObjectSize());
			row.put("msa", EvaluateCommand.round(msa[s] / images));
			row.put("sa50", EvaluateCommand.round(sa50[s] / images));
			rows.add(row);
		}
		rows.sort(Comparator.comparingDouble((Map<String, Object> r) -> -(double) r.get("msa")));
		Map<String, Object> best = rows.get(0);
		String lines = String.format(Locale.ROOT,
			"microscopy.pred_iou_thresh=%s%nmicroscopy.stability_score_thresh=%s%nmicroscopy.min_object_size=%s%n",
			best.get("pred_iou_thresh"), best.get("stability_score_thresh"), best.get("min_object_size"));
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("dataset", dataset);
		r.put("subset", split == null ? "all" : args.get("subset", "train"));
		r.put("images", images);
		r.put("base_parameters", base.asMap());
		r.put("best", best);
		r.put("presets_properties", lines);
		r.put("settings", rows);
		r.put("seconds", EvaluateCommand.round((System.nanoTime() - t0) / 1e9));
		String text = new GsonBuilder().setPrettyPrinting().create().toJson(r);
		FileProblems.attempt("write the report", reportFile, () -> AtomicFiles.write(reportFile, tmp -> Files.write(tmp,
			text.getBytes(StandardCharsets.UTF_8))));
		out.println(images + " images, " + settings.size() + " settings; best first:");
		for (int i = 0; i < Math.min(5, rows.size()); i++)
			out.println("  " + rows.get(i));
		out.print("for presets.properties:\n" + lines);
		out.println("wrote " + report);
		return 0;
	}
}
