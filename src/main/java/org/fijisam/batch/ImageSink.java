package org.fijisam.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fijisam.core.SamException;

/** Receives one image's planes in order and writes its file(s) at the end, each atomically. */
public interface ImageSink extends AutoCloseable {

	void plane(PlaneResult plane) throws SamException, IOException;

	/** Writes what the planes gave; returns the files written. */
	List<Path> finish() throws SamException, IOException;

	/** Lets go of scratch space (also after a failure). */
	@Override
	default void close() throws IOException {}
}
