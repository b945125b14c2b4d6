package org.fijisam.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a run did, image by image: segmented (objects, planes, seconds, where), skipped
 * (finished by an earlier run) or failed (why). Printed at the end of every run and written
 * as a table by cluster runs.
 */
public final class BatchSummary {

	/** One image's line. */
	public static final class Row implements java.io.Serializable {
		private static final long serialVersionUID = 1L;
		public final String image;
		public final String status;
		public final int objects;
		public final int planes;
		public final double seconds;
		public final String node;
		public final String problem;

		public Row(String image, String status, int objects, int planes, double seconds, String node, String problem) {
			this.image = image;
			this.status = status;
			this.objects = objects;
			this.planes = planes;
			this.seconds = seconds;
			this.node = node;
			this.problem = problem == null ? "" : problem;
		}
	}

	public static final String SEGMENTED = "segmented", SKIPPED = "skipped", FAILED = "failed";

	private final List<Row> rows = new ArrayList<>();
	private final org.fijisam.core.amg.AmgTimings timings = new org.fijisam.core.amg.AmgTimings();

	/** The time split summed over the segmented images. */
	public org.fijisam.core.amg.AmgTimings timings() {
		return timings;
	}

	public synchronized void add(Row r) {
		rows.add(r);
	}

	public synchronized List<Row> rows() {
		return Collections.unmodifiableList(new ArrayList<>(rows));
	}

	public int count(String status) {
		return (int) rows().stream().filter(r -> r.status.equals(status)).count();
	}

	/** "image: why" for every failed image. */
	public List<String> failures() {
		List<String> f = new ArrayList<>();
		for (Row r : rows())
			if (r.status.equals(FAILED)) f.add(r.image + ": " + r.problem);
		return f;
	}

	/** The table as CSV (image,status,objects,planes,seconds,node,problem). */
	public String toCsv() {
		StringBuilder sb = new StringBuilder("image,status,objects,planes,seconds,node,problem").append(System
			.lineSeparator());
		for (Row r : rows())
			sb.append(csv(r.image)).append(',').append(r.status).append(',').append(r.objects).append(',').append(
				r.planes).append(',').append(String.format(Locale.ROOT, "%.2f", r.seconds)).append(',').append(csv(
					r.node)).append(',').append(csv(r.problem)).append(System.lineSeparator());
		return sb.toString();
	}

	private static String csv(String text) {
		if (!text.contains(",") && !text.contains("\"") && !text.contains("\n")) return text;
		return "\"" + text.replace("\"", "\"\"").replace('\n', ' ') + "\"";
	}
}
