package org.fijisam.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fijisam.core.AtomicFiles;

/** The job's summary: a table on the console and the same rows as CSV. */
final class JobSummary {

	static final String CSV_HEADER = "image,status,result,seconds,host,executor,jvm,input";

	private JobSummary() {}

	static void print(SamSparkJob.Report report, PrintStream out) {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "image", "status", "result", "seconds", "host", "executor" });
		for (UnitResult r : report.results())
			rows.add(new String[] { r.name(), r.status().label(), shorten(r.result(), 60), seconds(r), r.host(), r
				.executor() });
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows)
			for (int c = 0; c < row.length; c++)
				widths[c] = Math.max(widths[c], row[c].length());
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int c = 0; c < row.length; c++)
				line.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, c == 3 ? "%" + widths[c] + "s" : "%-" +
					widths[c] + "s", row[c]));
			out.println(line.toString().stripTrailing());
		}
		out.println(totals(report));
		for (UnitResult r : report.results())
			if (r.status() == UnitResult.Status.FAILED) out.println("FAILED " + r.input() + ": " + r.result());
	}

	static String totals(SamSparkJob.Report report) {
		int n = report.results().size();
		// Units run in a task: all but those the driver found done before the job.
		long ran = report.results().stream().filter(r -> !r.executor().isEmpty()).count();
		String speed = report.jobSeconds() > 0 ? String.format(Locale.ROOT, "; %d tasks in %.2f s (%.1f tasks/s) " +
			"on %s, Spark started in %.1f s", ran, report.jobSeconds(), ran / report.jobSeconds(), report.master(),
			report.startSeconds()) : "; nothing to run";
		return String.format(Locale.ROOT, "%d images: %d done, %d skipped, %d failed%s", n, report.count(
			UnitResult.Status.DONE), report.count(UnitResult.Status.SKIPPED), report.count(UnitResult.Status.FAILED),
			speed);
	}

	/** Writes the rows as CSV, atomically (a reader never sees half a table). */
	static void writeCsv(SamSparkJob.Report report, Path file) throws IOException {
		StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
		for (UnitResult r : report.results())
			csv.append(String.join(",", csv(r.name()), r.status().label(), csv(r.result()), seconds(r), csv(r.host()),
				csv(r.executor()), csv(r.worker()), csv(r.input()))).append('\n');
		AtomicFiles.write(file, scratch -> Files.writeString(scratch, csv, StandardCharsets.UTF_8));
	}

	private static String seconds(UnitResult r) {
		return String.format(Locale.ROOT, "%.3f", r.seconds());
	}

	static String csv(String field) {
		if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0)
			return field;
		return '"' + field.replace("\"", "\"\"") + '"';
	}

	private static String shorten(String text, int max) {
		String oneLine = text.replace('\n', ' ');
		return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
	}
}
