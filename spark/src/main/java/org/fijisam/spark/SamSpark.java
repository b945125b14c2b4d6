package org.fijisam.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.fijisam.core.FileProblems;
import org.fijisam.core.SamException;

/**
 * Segment Anything over many images with Apache Spark: {@code java -jar sam-spark.jar} runs it
 * on every core of this machine, spark-submit on a cluster (see docs/spark.md).
 */
public final class SamSpark {

	private SamSpark() {}

	public static void main(String[] args) {
		int code = run(args, System.out);
		// Under spark-submit a success returns: spark-submit ends the application itself, and on
		// YARN an exit from the main class reads as an application that ended early (a failure).
		if (code == 0 && System.getProperty("spark.submit.deployMode") != null) return;
		System.exit(code);
	}

	/** Runs the job; returns the exit code (0 all done or skipped, 1 failures, 2 usage error). */
	static int run(String[] args, PrintStream out) {
		JobArguments arguments;
		try {
			arguments = JobArguments.parse(args);
		}
		catch (JobArguments.UsageException e) {
			if (e.getMessage() == null) {
				out.println(JobArguments.USAGE);
				return 0;
			}
			System.err.println("sam-spark: " + e.getMessage());
			System.err.println(JobArguments.USAGE);
			return 2;
		}
		SamSparkJob.Report report;
		try {
			report = SamSparkJob.run(arguments, out);
		}
		catch (SamException | OutputFolder.OutputFolderException | SamSparkJob.JobFailedException e) {
			System.err.println("sam-spark: " + e.getMessage());
			return 1;
		}
		JobSummary.print(report, out);
		Path csv = summaryFile(arguments);
		try {
			JobSummary.writeCsv(report, csv);
			out.println("Summary: " + csv);
		}
		catch (IOException e) {
			System.err.println("sam-spark: " + FileProblems.describe("write the summary", csv, e));
			return 1;
		}
		return report.count(UnitResult.Status.FAILED) > 0 ? 1 : 0;
	}

	private static Path summaryFile(JobArguments arguments) {
		return arguments.summary() != null ? Path.of(arguments.summary()) : Path.of(arguments.output()).resolve(
			"sam-spark-summary.csv");
	}
}
