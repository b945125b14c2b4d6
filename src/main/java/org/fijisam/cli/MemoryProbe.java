package org.fijisam.cli;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Peak memory: Java heap (all heap pools) and the process's resident set (includes ONNX Runtime). */
final class MemoryProbe {

	private MemoryProbe() {}

	static long peakHeapBytes() {
		long sum = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
			if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
		return sum;
	}

	private static final AtomicLong PEAK_LIVE = new AtomicLong(-1);
	private static boolean tracking;

	/**
	 * Starts recording the heap still in use after each garbage collection. Its maximum is what a
	 * run really needed (the -Xmx to ask for); peak pool usage only shows how far the collector let
	 * garbage pile up before collecting.
	 */
	static synchronized void trackLiveHeap() {
		if (tracking) return;
		tracking = true;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (!(gc instanceof NotificationEmitter)) continue;
			((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
				if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
				GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n
					.getUserData());
				long live = 0;
				for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
					if (pool.getType() == MemoryType.HEAP) {
						MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
						if (after != null) live += after.getUsed();
					}
				PEAK_LIVE.accumulateAndGet(live, Math::max);
			}, null, null);
		}
	}

	/** Largest heap in use right after a collection since {@link #trackLiveHeap()}, or -1 if none ran. */
	static long peakLiveHeapBytes() {
		return PEAK_LIVE.get();
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
