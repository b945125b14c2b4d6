package org.fijisam.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import org.fijisam.core.OutputNames;
import org.fijisam.core.SamException;

/**
 * The Spark job: inputs listed and the output folder checked on the driver, before Spark
 * starts; the units not finished by an earlier run handed out one per partition (so one slow
 * image never holds back a queue of others, and a lost executor costs only its own units);
 * the results collected into the summary.
 */
final class SamSparkJob {

	private SamSparkJob() {}

	/** What the job did. */
	record Report(List<UnitResult> results, String master, double startSeconds, double jobSeconds) {

		long count(UnitResult.Status status) {
			return results.stream().filter(r -> r.status() == status).count();
		}
	}

	static Report run(JobArguments args, PrintStream log) throws SamException, OutputFolder.OutputFolderException,
		JobFailedException
	{
		List<Path> images = InputListing.list(args.input());
		Path outputDir = OutputFolder.prepare(args.output());
		if (args.segments()) {
			try {
				return SegmentEverythingJob.run(args, args.model(), images, outputDir, log);
			}
			catch (SamException e) {
				throw e; // found before any work: the plan's checks, another job in the folder
			}
			catch (Exception e) {
				throw new JobFailedException("the Spark job failed: " + firstLine(e) + ". Outputs finished so far " +
					"are kept; a rerun does only the rest.", e);
			}
		}
		OutputNames names = OutputNames.assign(images);
		for (String r : names.renamed())
			log.println("sam-spark: same name, outputs renamed: " + r);
		UnitWork<?> work = args.workFunction();

		List<WorkUnit> pending = new ArrayList<>();
		List<UnitResult> results = new ArrayList<>();
		for (Path image : images) {
			WorkUnit unit = new WorkUnit(image.toString(), names.of(image));
			if (work.isDone(unit, outputDir)) results.add(UnitResult.skippedBeforeStart(unit));
			else pending.add(unit);
		}
		log.println("sam-spark: " + images.size() + " images, " + results.size() + " already done, " + pending
			.size() + " to do; outputs in " + outputDir);
		SparkConf conf = sparkConf(args);
		if (pending.isEmpty()) return new Report(inInputOrder(results, images), conf.get("spark.master"), 0, 0);

		long t0 = System.nanoTime();
		try (JavaSparkContext sc = new JavaSparkContext(conf)) {
			double startSeconds = (System.nanoTime() - t0) / 1e9;
			sc.sc().addSparkListener(new TaskProgress(pending.size(), log));
			UnitTask<?> task = new UnitTask<>(work, outputDir);
			long t1 = System.nanoTime();
			results.addAll(sc.parallelize(pending, pending.size()).map(task::run).collect());
			double jobSeconds = (System.nanoTime() - t1) / 1e9;
			return new Report(inInputOrder(results, images), sc.master(), startSeconds, jobSeconds);
		}
		catch (Exception e) {
			// A failed image is a row, not an exception: this is Spark giving up (a unit that
			// kills its executor every time, a master that cannot be reached).
			throw new JobFailedException("the Spark job failed: " + firstLine(e) + ". Outputs finished so far " +
				"are kept; a rerun does only the rest.", e);
		}
	}

	private static String firstLine(Throwable e) {
		String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
		int nl = m.indexOf('\n');
		return nl < 0 ? m : m.substring(0, nl);
	}

	/** Spark could not finish the job. */
	static final class JobFailedException extends Exception {

		JobFailedException(String message, Throwable cause) {
			super(message, cause);
		}
	}

	/**
	 * Spark's settings: spark-submit's (system properties), then those of the command line; the
	 * master is local[*] (every core of this machine) unless one of them names another.
	 */
	static SparkConf sparkConf(JobArguments args) {
		SparkConf conf = new SparkConf().setAppName("sam-spark");
		args.conf().forEach(conf::set);
		if (args.master() != null) conf.setMaster(args.master());
		conf.setIfMissing("spark.master", "local[*]");
		if (conf.get("spark.master").startsWith("local")) {
			// Everything runs in this JVM: no port needs to be open beyond this machine.
			conf.setIfMissing("spark.driver.host", "127.0.0.1");
			conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
		}
		return conf;
	}

	private static List<UnitResult> inInputOrder(List<UnitResult> results, List<Path> images) {
		Map<String, Integer> order = new HashMap<>();
		for (int i = 0; i < images.size(); i++)
			order.put(images.get(i).toString(), i);
		List<UnitResult> sorted = new ArrayList<>(results);
		sorted.sort(Comparator.comparing(r -> order.getOrDefault(r.input(), Integer.MAX_VALUE)));
		return sorted;
	}
}
