package org.fijisam.batch;

import java.nio.file.Path;
import java.util.List;

import org.fijisam.core.amg.ObjectTableCsv;

/**
 * NAME_objects.csv: one row per object (label, area, bbox, centroid, predicted IoU,
 * stability); stacks have plane, slice and frame columns first.
 */
public final class ObjectCsvWriter implements ResultWriter {

	public static final String SUFFIX = "_objects.csv";

	@Override
	public String what() {
		return "object table";
	}

	@Override
	public List<String> fileNames(String base) {
		return List.of(base + SUFFIX);
	}

	@Override
	public ImageSink open(ImageTarget t) {
		boolean stack = t.planes() > 1;
		StringBuilder csv = new StringBuilder(stack ? "plane,slice,frame," : "").append(ObjectTableCsv.HEADER).append(
			System.lineSeparator());
		return new ImageSink() {
			@Override
			public void plane(PlaneResult p) {
				if (!stack) {
					ObjectTableCsv.appendRows(csv, p.labels().objects(), 0);
					return;
				}
				StringBuilder rows = new StringBuilder();
				ObjectTableCsv.appendRows(rows, p.labels().objects(), 0);
				for (String row : rows.toString().split("\\R"))
					if (!row.isEmpty()) csv.append(p.index() + 1).append(',').append(t.slice(p.index())).append(',')
						.append(t.frame(p.index())).append(',').append(row).append(System.lineSeparator());
			}

			@Override
			public List<Path> finish() throws java.io.IOException {
				Path file = t.file(t.base() + SUFFIX);
				ObjectTableCsv.writeText(file, csv.toString());
				return List.of(file);
			}
		};
	}
}
