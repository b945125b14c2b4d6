package org.fijisam.spark;

import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import scala.Tuple2;

import org.fijisam.batch.BatchPlan;
import org.fijisam.batch.BatchRun;
import org.fijisam.batch.ImageJob;
import org.fijisam.batch.PreparedImage;
import org.fijisam.batch.ResultWriter;
import org.fijisam.core.Cancellation;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.OutputLock;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.ij.ImagePlusSlices;

/**
 * Segment everything over many images on Spark, through the same steps as {@code sam-cli auto}
 * ({@link ImageJob}): (1) each image is prepared by one task (read, memory check, the stack's
 * shared intensity range, tiles); (2) every plane, or every tile of a large plane, is one task;
 * (3) the pieces of an image meet in one task, which merges tiles, links planes and writes the
 * outputs and the completion record. Steps 1 and 3 are short; step 2 spreads a stack or a mosaic
 * over the cluster. The outputs are those of the CLI, byte for byte.
 */
final class SegmentEverythingJob {

	/** An image to do and the name of its outputs (decided on the driver, unique in the job). */
	record ImageRef(String file, String base) implements Serializable {}

	/** What preparing an image gave: the prepared image, or why it cannot be segmented. */
	record Prepared(ImageRef ref, PreparedImage image, String problem, String host) implements Serializable {}

	/** One unit's masks (or why it failed), with where and how long it ran. */
	record Piece(int plane, int tile, AmgResult result, String problem, double seconds) implements Serializable {}

	private SegmentEverythingJob() {}

	static SamSparkJob.Report run(JobArguments args, ExecutorModel model, List<Path> images, Path outputDir,
		PrintStream log) throws SamException
	{
		List<ResultWriter> writers = BatchRun.writers(model.settings());
		// Where every output goes is decided here, before any work: no output may replace an input or another output.
		BatchPlan plan = BatchPlan.of(images, outputDir, writers, List.of());
		List<UnitResult> results = new ArrayList<>();
		List<ImageRef> todo = new ArrayList<>();
		for (Path p : plan.inputs()) {
			ImageRef ref = new ImageRef(p.toAbsolutePath().toString(), plan.name(p));
			if (!model.settings().overwrite() && plan.finished(p)) results.add(UnitResult.skippedBeforeStart(new WorkUnit(
				ref.file(), ref.base())));
			else todo.add(ref);
		}
		for (String r : plan.renamed())
			log.println("sam-spark: same name as another input, outputs renamed: " + r);
		log.println("sam-spark: " + plan.inputs().size() + " images, " + results.size() + " already done, " + todo
			.size() + " to do; outputs in " + outputDir);
		var conf = SamSparkJob.sparkConf(args);
		if (todo.isEmpty()) return new SamSparkJob.Report(results, conf.get("spark.master"), 0, 0);
		try (OutputLock lock = OutputLock.acquire(outputDir, "sam-spark job over " + todo.size() + " images")) {
			long t0 = System.nanoTime();
			try (JavaSparkContext sc = new JavaSparkContext(conf)) {
				double startSeconds = (System.nanoTime() - t0) / 1e9;
				long t1 = System.nanoTime();
				List<Prepared> prepared = sc.parallelize(todo, todo.size()).map(ref -> prepare(model, ref)).collect();
				List<PreparedImage> ready = new ArrayList<>();
				for (Prepared p : prepared) {
					ready.add(p.image());
					if (p.image() == null) results.add(new UnitResult(p.ref().base(), p.ref().file(), UnitResult.Status.FAILED,
						p.problem(), 0, p.host(), "", "", 0));
				}
				long perTask = ready.stream().filter(p -> p != null).mapToLong(PreparedImage::memoryBytes).max().orElse(0);
				if (perTask > 0) log.printf(Locale.ROOT, "sam-spark: memory: the largest image needs about %.0f MB per " +
					"running task (the estimate sam-cli checks); give each executor about that times its tasks at once, " +
					"plus the model and Spark (spark.executor.memory + spark.executor.memoryOverhead)%n", perTask / 1048576.0);
				List<SegmentationUnits.Unit> units = SegmentationUnits.of(ready);
				log.println("sam-spark: " + units.size() + " units of work (planes and tiles) in " + ready.stream().filter(
					p -> p != null).count() + " images");
				if (!units.isEmpty()) {
					long readyImages = ready.stream().filter(p -> p != null).count();
					sc.sc().addSparkListener(new TaskProgress(units.size() + (int) readyImages, log));
					Broadcast<List<PreparedImage>> shared = sc.broadcast(ready);
					String dir = outputDir.toString();
					results.addAll(sc.parallelize(units, units.size()).mapToPair(u -> new Tuple2<>(u.image(), segment(model,
						shared.value().get(u.image()), u))).groupByKey(Math.max(1, (int) ready.stream().filter(p -> p != null)
							.count())).map(t -> write(model, shared.value().get(t._1()), t._2(), dir)).collect());
				}
				double jobSeconds = (System.nanoTime() - t1) / 1e9;
				results.sort(Comparator.comparing(UnitResult::input));
				return new SamSparkJob.Report(results, sc.master(), startSeconds, jobSeconds);
			}
		}
	}

	/** Step 1, in a task: read the image, check memory, measure the stack's range, lay out tiles. */
	static Prepared prepare(ExecutorModel model, ImageRef ref) {
		try {
			return new Prepared(ref, model.job().prepare(Path.of(ref.file()), ref.base(), Cancellation.NEVER), null,
				host());
		}
		catch (Exception | LinkageError e) {
			return new Prepared(ref, null, "on " + host() + ": " + message(e), host());
		}
	}

	/** Step 2, in a task: one plane or one tile. */
	static Piece segment(ExecutorModel model, PreparedImage image, SegmentationUnits.Unit u) {
		long start = System.nanoTime();
		try {
			ImageJob job = model.job();
			ImagePlusSlices planes = job.planes(image);
			AmgResult r = job.segment(image, planes, u.plane(), u.tile(), ProgressListener.NONE, Cancellation.NEVER);
			return new Piece(u.plane(), u.tile(), r, null, (System.nanoTime() - start) / 1e9);
		}
		catch (Exception | LinkageError e) {
			return new Piece(u.plane(), u.tile(), null, "plane " + (u.plane() + 1) + (u.tile() >= 0 ? " tile " + (u
				.tile() + 1) : "") + " on " + host() + ": " + message(e), (System.nanoTime() - start) / 1e9);
		}
	}

	/** Step 3, in a task: the image's pieces in order, tiles merged, outputs written. */
	static UnitResult write(ExecutorModel model, PreparedImage image, Iterable<Piece> pieces, String outputDir) {
		long start = System.nanoTime();
		List<Piece> sorted = new ArrayList<>();
		pieces.forEach(sorted::add);
		sorted.sort(Comparator.comparingInt(Piece::plane).thenComparingInt(Piece::tile));
		double seconds = sorted.stream().mapToDouble(Piece::seconds).sum();
		String name = image.base(), file = image.file().toString();
		try {
			for (Piece p : sorted)
				if (p.problem() != null) throw new SamException(p.problem());
			Path dir = Path.of(outputDir);
			if (!Files.isDirectory(dir)) throw new SamException("the output folder " + dir + " is not there on " +
				host() + "; give a folder that every node of the cluster sees (a shared file system)");
			ImageJob job = model.job();
			List<AmgResult> planes = new ArrayList<>();
			int tiles = Math.max(1, image.tiles().size());
			for (int plane = 0; plane < image.planes(); plane++) {
				List<AmgResult> parts = new ArrayList<>();
				for (int t = 0; t < tiles; t++)
					parts.add(sorted.get(plane * tiles + t).result());
				planes.add(image.tiles().isEmpty() ? parts.get(0) : job.merge(image, parts));
			}
			Iterator<AmgResult> inOrder = planes.iterator();
			List<ResultWriter> writers = BatchRun.writers(model.settings());
			int objects = job.write(image, inOrder, dir, writers, new OutputGuard(List.of(image.file())));
			seconds += (System.nanoTime() - start) / 1e9;
			return new UnitResult(name, file, UnitResult.Status.DONE, String.format(Locale.ROOT, "%d objects%s", objects,
				image.planes() > 1 ? " in " + image.planes() + " planes" : ""), seconds, host(), executorId(), jvm(),
				ExecutorResources.creations(model.key()));
		}
		catch (Exception | LinkageError e) {
			seconds += (System.nanoTime() - start) / 1e9;
			return new UnitResult(name, file, UnitResult.Status.FAILED, message(e), seconds, host(), executorId(), jvm(),
				ExecutorResources.creations(model.key()));
		}
	}

	private static String message(Throwable e) {
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}

	static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception e) {
			return "unknown";
		}
	}

	private static String executorId() {
		SparkEnv env = SparkEnv.get();
		return env == null ? "none" : env.executorId();
	}

	private static String jvm() {
		return ManagementFactory.getRuntimeMXBean().getName();
	}
}
