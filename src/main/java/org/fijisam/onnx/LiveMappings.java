package org.fijisam.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files that running processes have mapped into memory (Linux: /proc/PID/maps), to tell an
 * ONNX Runtime temp folder of a killed run (nobody maps its libraries) from one in use.
 * Elsewhere nothing is known, and callers leave such folders alone.
 */
final class LiveMappings {

	private final String maps;

	private LiveMappings(String maps) {
		this.maps = maps;
	}

	static LiveMappings read() {
		Path proc = Path.of("/proc");
		if (!Files.isRegularFile(proc.resolve("self/maps"))) return new LiveMappings(null);
		StringBuilder sb = new StringBuilder();
		try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
			for (Path pid : pids) {
				try {
					sb.append(new String(Files.readAllBytes(pid.resolve("maps")), StandardCharsets.UTF_8));
				}
				catch (IOException | RuntimeException e) {
					// Another user's process (cannot map our files) or one that just ended.
				}
			}
		}
		catch (IOException | RuntimeException e) {
			return new LiveMappings(null);
		}
		return new LiveMappings(sb.toString());
	}

	/** Whether the mappings could be read at all. */
	boolean known() {
		return maps != null;
	}

	/** Whether some process maps a file inside {@code dir}. */
	boolean contains(Path dir) {
		return maps == null || maps.contains(dir.toString() + "/");
	}
}
