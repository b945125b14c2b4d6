package org.fijisam.spark;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resources made once per executor JVM and shared by all its tasks: loading a model takes
 * seconds and hundreds of MB, a task takes one image. Static, so it lives as long as the
 * executor; keyed, so that two jobs with different models in one JVM (local mode, tests) do
 * not share one. Made lazily by the first task that needs it; concurrent tasks wait for it.
 */
public final class ExecutorResources {

	private static final Map<String, Holder> HOLDERS = new ConcurrentHashMap<>();

	private ExecutorResources() {}

	/** The resource for the key, made by the factory if this JVM has none yet. */
	@SuppressWarnings("unchecked")
	public static <R> R get(String key, Callable<R> factory) throws Exception {
		return (R) HOLDERS.computeIfAbsent(key, k -> new Holder()).get(factory);
	}

	/** How many times this JVM made the resource for the key (1 when sharing works). */
	public static int creations(String key) {
		Holder h = HOLDERS.get(key);
		return h == null ? 0 : h.creations.get();
	}

	/** Forgets every resource (tests, which run several jobs in one JVM). */
	static void clear() {
		HOLDERS.clear();
	}

	private static final class Holder {

		private final AtomicInteger creations = new AtomicInteger();
		private Object value;

		// Per key, not the map's lock: a slow model load must not block tasks of other keys.
		synchronized Object get(Callable<?> factory) throws Exception {
			if (value == null) {
				// A failure is not kept: the next task tries again (a file server may be back).
				Object made = factory.call();
				if (made == null) throw new IllegalStateException("the resource factory returned nothing");
				creations.incrementAndGet();
				value = made;
			}
			return value;
		}
	}
}
