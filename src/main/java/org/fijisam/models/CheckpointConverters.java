package org.fijisam.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.fijisam.core.SamException;

/**
 * The converters there are: those registered in code (tests, front ends) first, then those
 * that ServiceLoader finds on the class path. None is built in yet.
 */
public final class CheckpointConverters {

	private static final List<CheckpointConverter> REGISTERED = new ArrayList<>();

	private CheckpointConverters() {}

	public static synchronized void register(CheckpointConverter c) {
		REGISTERED.add(0, c);
	}

	public static synchronized void unregister(CheckpointConverter c) {
		REGISTERED.remove(c);
	}

	/** The converter for a family and size, or null when this build has none. */
	public static synchronized CheckpointConverter find(String family, String size) {
		for (CheckpointConverter c : REGISTERED)
			if (c.handles(family, size)) return c;
		try {
			for (CheckpointConverter c : ServiceLoader.load(CheckpointConverter.class, CheckpointConverters.class
				.getClassLoader()))
				if (c.handles(family, size)) return c;
		}
		catch (ServiceConfigurationError e) {
			// A broken plug-in is the same as none: the checkpoint is still installed and verified.
		}
		return null;
	}

	/** The first size a converter tells from the checkpoint's tensors, or null when none can. */
	public static String guessSize(String family, Path checkpoint) throws SamException {
		for (CheckpointConverter c : all()) {
			String size = c.guessSize(family, checkpoint);
			if (size != null) return size;
		}
		return null;
	}

	private static synchronized List<CheckpointConverter> all() {
		List<CheckpointConverter> out = new ArrayList<>(REGISTERED);
		try {
			for (CheckpointConverter c : ServiceLoader.load(CheckpointConverter.class, CheckpointConverters.class
				.getClassLoader()))
				out.add(c);
		}
		catch (ServiceConfigurationError e) {
			// A broken plug-in is the same as none.
		}
		return out;
	}

	/** The honest words for a family that cannot be converted yet. */
	static String notAvailable(String family, String size) {
		return "conversion of family " + family + " size " + size + " to ONNX is not available in this build yet";
	}
}
