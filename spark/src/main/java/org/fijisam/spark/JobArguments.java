package org.fijisam.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fijisam.options.AutomaticOptions;
import org.fijisam.options.AutomaticSettings;
import org.fijisam.options.Option;
import org.fijisam.options.OptionValues;

/**
 * The command line of {@link SamSpark}: the same under {@code java -jar} and spark-submit
 * (there Spark's own options come before the jar, these after it).
 */
record JobArguments(String input, String output, String master, Map<String, String> conf, String work,
	long unitDelayMillis, String summary, OptionValues options) {

	static final String USAGE = String.join("\n", //
		"Usage: java -jar sam-spark.jar --input DIR|GLOB --output DIR [options]", //
		"   or: spark-submit [spark options] sam-spark.jar --input DIR|GLOB --output DIR [options]", //
		"", //
		"  --input DIR|GLOB   the images: a folder (its TIFF, PNG and JPEG files) or a quoted pattern", //
		"                     such as '/data/*.tif' or '/data/**/*.tif'; on a cluster a path every node reads", //
		"  --output DIR       where each image's outputs go (a folder every node can write to); a rerun", //
		"                     skips the images whose outputs are there", //
		"  --master URL       Spark master (default: spark.master of spark-submit, else local[*]:", //
		"                     all cores of this machine)", //
		"  --conf KEY=VALUE   a Spark setting, e.g. --conf spark.executor.memory=4g (repeatable)", //
		"  --summary FILE     the summary table (default: OUTPUT/sam-spark-summary.csv)", //
		"  --work NAME        what the tasks do: segment (default: segment everything, the same run and", //
		"                     files as sam-cli auto), image-info (image size and a pixel checksum in", //
		"                     NAME.txt: checks a cluster's set-up) or none (Spark's own cost per task)", //
		"  --unit-delay-ms N  image-info only: wait N ms per image, to stand in for real work", //
		"", //
		"Segmentation options: those of sam-cli auto (one table for every entry point), e.g.", //
		"  --preset P  --points-per-side N  --pred-iou-thresh X  --stability-score-thresh X", //
		"  --min-object-size N  --tile N --halo N  --normalize N  --channels R,G,B  --link  --coco  --rois", //
		"  --overwrite  --model DIR (a folder every node reads; default: the built-in model)", //
		"  --provider cpu|cuda|auto  --threads N (per task; default: the cores of a node shared by its tasks)", //
		"", //
		"Exit code: 0 all images done or skipped, 1 some failed (see the summary), 2 usage error.");

	/** Parses the arguments; throws with the usage text's words when they are wrong. */
	static JobArguments parse(String[] args) throws UsageException {
		String input = null, output = null, master = null, work = "segment", summary = null;
		Map<String, String> options = new LinkedHashMap<>();
		long delay = 0;
		Map<String, String> conf = new LinkedHashMap<>();
		List<String> rest = new ArrayList<>(List.of(args));
		while (!rest.isEmpty()) {
			String option = rest.remove(0);
			if (option.equals("--help") || option.equals("-h")) throw new UsageException(null);
			if (!option.startsWith("--")) throw new UsageException("Unexpected argument '" + option +
				"'; options start with --.");
			Option tableOption = AutomaticOptions.FILES.find(option.substring(2));
			if (tableOption != null && tableOption.type() == Option.Type.FLAG) {
				options.put(tableOption.key(), "true");
				continue;
			}
			if (rest.isEmpty()) throw new UsageException(option + " needs a value.");
			String value = rest.remove(0);
			switch (option) {
				case "--input" -> input = value;
				case "--output" -> output = value;
				case "--master" -> master = value;
				case "--summary" -> summary = value;
				case "--work" -> work = value;
				case "--unit-delay-ms" -> delay = parseMillis(value);
				case "--conf" -> {
					int eq = value.indexOf('=');
					if (eq <= 0) throw new UsageException("--conf takes KEY=VALUE, e.g. --conf spark.executor.memory=4g;" +
						" got '" + value + "'.");
					conf.put(value.substring(0, eq), value.substring(eq + 1));
				}
				default -> {
					if (tableOption == null) throw new UsageException("Unknown option " + option + ".");
					options.put(tableOption.key(), value);
				}
			}
		}
		if (input == null) throw new UsageException("--input is required: the folder of the images or a pattern.");
		if (output == null) throw new UsageException("--output is required: the folder for the outputs.");
		if (!List.of("segment", "image-info", "none").contains(work)) throw new UsageException("--work is segment, " +
			"image-info or none, not '" + work + "'.");
		OptionValues values;
		try {
			values = AutomaticOptions.FILES.values(options);
			AutomaticSettings.of(values); // a wrong value stops the job before Spark starts
			// Not the CLI's check against this machine's cores: the nodes may have more.
			if (values.integer(AutomaticOptions.THREADS) < 0) throw new IllegalArgumentException("The option threads=" +
				values.integer(AutomaticOptions.THREADS) + " must be 0 (the cores of a node shared by its tasks) or more.");
		}
		catch (IllegalArgumentException e) {
			throw new UsageException(e.getMessage().replaceAll("option ([a-z_]+)=", "option --$1 ").replace('_', '-'));
		}
		String folder = values.text(AutomaticOptions.MODEL);
		if (!folder.isEmpty() && !Files.isDirectory(Path.of(folder))) throw new UsageException("The model folder " +
			folder + " does not exist here. Give a folder (with sam.json and the ONNX files) that every node reads, " +
			"or no --model for the built-in model.");
		return new JobArguments(input, output, master, conf, work, delay, summary, values);
	}

	/** Whether the job segments (rather than a set-up check or an overhead measurement). */
	boolean segments() {
		return work.equals("segment");
	}

	/** The model and the segmentation settings every executor gets. */
	ExecutorModel model() {
		return new ExecutorModel(options.text(AutomaticOptions.MODEL), options.text(AutomaticOptions.PROVIDER),
			options.integer(AutomaticOptions.THREADS), AutomaticSettings.of(options));
	}

	/** The work function the arguments ask for. */
	UnitWork<?> workFunction() {
		return work.equals("none") ? new EmptyWork() : new ImageInfoWork(unitDelayMillis);
	}

	private static long parseMillis(String value) throws UsageException {
		try {
			long ms = Long.parseLong(value);
			if (ms >= 0) return ms;
		}
		catch (NumberFormatException e) {
			// explained below
		}
		throw new UsageException("--unit-delay-ms takes a number of milliseconds (0 or more), not '" + value + "'.");
	}

	/** Wrong arguments: the message (null for --help) and the usage text are shown. */
	static final class UsageException extends Exception {

		UsageException(String message) {
			super(message);
		}
	}
}
