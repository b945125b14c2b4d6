package org.fijisam.core.amg;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.fijisam.core.AtomicFiles;

/**
 * The object table as CSV (one row per object; a slice column for stacks), written
 * atomically. Centroids use ImageJ's convention (pixel centres at +0.5).
 */
public final class ObjectTableCsv {

	public static final String HEADER =
		"label,area,bbox_x,bbox_y,bbox_width,bbox_height,centroid_x,centroid_y,predicted_iou,stability_score";

	private ObjectTableCsv() {}

	/** Rows of one plane; {@code slice} &lt;= 0 leaves out the slice column. */
	public static void appendRows(StringBuilder sb, List<ObjectStats> objects, int slice) {
		for (ObjectStats o : objects) {
			if (slice > 0) sb.append(slice).append(',');
			sb.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.4f,%.4f%n", o.label, o.area, o.bboxX,
				o.bboxY, o.bboxWidth, o.bboxHeight, o.centroidX, o.centroidY, o.predictedIou, o.stabilityScore));
		}
	}

	/** Writes the table of one plane. */
	public static void write(Path file, List<ObjectStats> objects) throws IOException {
		StringBuilder sb = new StringBuilder(HEADER).append(System.lineSeparator());
		appendRows(sb, objects, 0);
		writeText(file, sb.toString());
	}

	/** Writes text (e.g. a stack's table built with {@link #appendRows}) atomically. */
	public static void writeText(Path file, String text) throws IOException {
		AtomicFiles.write(file, tmp -> {
			try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
				w.write(text);
			}
		});
	}
}
