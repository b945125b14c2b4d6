package org.fijisam.batch;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * One kind of output of a run over files (label image, object table, COCO file, ROI set). The
 * run asks every writer for the names it will write before any work, so that they can be
 * checked (no output may replace an input or another output), then opens one sink per image
 * and hands it the planes in order. Writers hold no state between images (sent to cluster
 * nodes as they are).
 */
public interface ResultWriter extends java.io.Serializable {

	/** What the output is, in words ("label image"), for messages. */
	String what();

	/** The files written for an image whose outputs are named {@code base}. */
	List<String> fileNames(String base);

	/** Whether the verified outputs of an earlier run hold this writer's files for {@code base}. */
	default boolean isComplete(Set<String> verified, String base) {
		return verified.containsAll(fileNames(base));
	}

	ImageSink open(ImageTarget target) throws IOException;
}
