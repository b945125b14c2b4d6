package org.fijisam.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak memory: Java heap (all heap pools) and the process's resident set (includes ONNX Runtime). */
final class MemoryProbe {

	private MemoryProbe() {}

	static long peakHeapBytes() {
		long sum = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
			if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
		return sum;
	}

	/** Peak resident set size from /proc (Linux), or -1 where unavailable. */
	static long peakRssBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		catch (IOException | RuntimeException e) {
			// Not Linux: report as unknown.
		}
		return -1;
	}
}
