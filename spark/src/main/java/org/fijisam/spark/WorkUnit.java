package org.fijisam.spark;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * One task of the job: an input image and the base name of its outputs. Paths travel as text
 * (a Path is not serializable) and must mean the same file on every node: a shared folder.
 *
 * @param input the absolute path of the input image
 * @param name the base name of the unit's outputs (NAME.txt), unique within the job
 */
public record WorkUnit(String input, String name) implements Serializable {

	public Path inputPath() {
		return Path.of(input);
	}
}
