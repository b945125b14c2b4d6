package org.fijisam.spark;

import java.nio.file.Path;
import java.util.List;

/**
 * Does nothing and writes nothing: a job of it measures what Spark itself costs per task
 * (scheduling, serialization, the result's way back), the floor under any real work.
 */
final class EmptyWork implements UnitWork<String> {

	@Override
	public String resourceKey() {
		return "empty";
	}

	@Override
	public String createResource() {
		return "nothing";
	}

	@Override
	public String process(String resource, WorkUnit unit, Path outputDir) {
		return "nothing done";
	}

	@Override
	public List<String> outputNames(WorkUnit unit) {
		return List.of();
	}
}
