package org.fijisam.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The checkpoint reader is plain JDK (plus core's exceptions), and core does not depend on it. */
class CheckpointArchitectureTest {
	static final Path SRC = Path.of("src/main/java/org/fijisam");

	static List<String> imports(Path dir) throws IOException {
		List<String> out = new ArrayList<>();
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path f : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList()))
				for (String line : Files.readAllLines(f))
					if (line.startsWith("import ")) out.add(f.getFileName() + ": " + line.substring(7).trim());
		}
		return out;
	}

	@Test
	void checkpointUsesOnlyTheJdkAndCore() throws IOException {
		List<String> bad = imports(SRC.resolve("checkpoint")).stream()
			.filter(i -> !i.contains(": java.") && !i.contains(": org.fijisam.core.")).collect(Collectors.toList());
		assertEquals(List.of(), bad);
	}

	@Test
	void coreDoesNotUseCheckpoint() throws IOException {
		List<String> bad = imports(SRC.resolve("core")).stream().filter(i -> i.contains("org.fijisam.checkpoint"))
			.collect(Collectors.toList());
		assertEquals(List.of(), bad);
	}
}
