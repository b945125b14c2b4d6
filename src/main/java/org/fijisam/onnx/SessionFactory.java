package org.fijisam.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;

/**
 * Creates ONNX Runtime sessions with the requested execution provider. CUDA that cannot start
 * (CPU-only build, missing CUDA or cuDNN libraries, no GPU) is an error when CUDA was asked for;
 * with AUTO it falls back to the CPU, and the reason is kept so that the caller can tell the
 * user once.
 */
final class SessionFactory {

	private final OrtEnvironment env;
	private final ExecutionOptions options;
	private String provider;
	private String fallbackReason;

	SessionFactory(ExecutionOptions options) throws ModelException {
		this.env = environment();
		this.options = options;
	}

	/** The process-wide environment; reports a native library that cannot load in plain words. */
	static OrtEnvironment environment() throws ModelException {
		// Before ONNX Runtime's first use, so that it loads its libraries from the cache folder.
		NativeLibraries.prepare();
		try {
			OrtEnvironment env = OrtEnvironment.getEnvironment();
			NativeLibraries.removeOrtTempFolder();
			return env;
		}
		catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
			throw new ModelException("ONNX Runtime's native library could not be loaded (" + e.getMessage() +
				"). It supports Linux x64/aarch64, macOS arm64 and Windows x64; in Fiji make sure only one " +
				"onnxruntime jar is in jars/ (two plugins bundling it conflict), then restart Fiji.");
		}
	}

	OrtEnvironment env() { return env; }

	/** "CPU" or "CUDA", once a session was created. */
	String provider() { return provider; }

	/** Why CUDA was not used although AUTO asked for it when it works, or null. */
	String fallbackReason() { return fallbackReason; }

	OrtSession create(byte[] model, String what) throws ModelException {
		return create(null, model, what, false);
	}

	OrtSession create(String path, String what) throws ModelException {
		return create(path, null, what, false);
	}

	/**
	 * A session for an image encoder: run once per image on large activations. ONNX Runtime's
	 * memory pattern planning, which pays off for small graphs run again and again, allocates
	 * on the second run one block for the whole plan next to the arena the first run filled:
	 * an official ViT-B encoder went from 3.6 GB resident after one image to 6.7 GB after two;
	 * without the pattern it stays at 3.6 GB, at the same speed.
	 */
	OrtSession createEncoder(String path, byte[] model, String what) throws ModelException {
		return create(path, model, what, true);
	}

	private OrtSession create(String path, byte[] model, String what, boolean encoder) throws ModelException {
		ExecutionOptions.Provider wanted = options.provider();
		if (wanted != ExecutionOptions.Provider.CPU && fallbackReason == null) {
			try {
				OrtSession s = openCuda(path, model, encoder);
				provider = "CUDA";
				return s;
			}
			catch (CudaUnavailable e) {
				if (wanted == ExecutionOptions.Provider.CUDA) {
					checkOpensOnCpu(path, model, what, encoder); // a damaged model file is reported as such, not as CUDA
					throw CudaProblems.requestedButUnavailable(e.reason);
				}
				fallbackReason = "CUDA not used: " + e.reason; // auto: said once, in the execution summary
			}
		}
		OrtSession s = openCpu(path, model, what, encoder);
		provider = "CPU";
		return s;
	}

	/** Why CUDA did not start, in the user's words (see {@link CudaProblems}). */
	static final class CudaUnavailable extends Exception {
		private static final long serialVersionUID = 1L;
		final String reason;

		CudaUnavailable(String reason) {
			super(reason, null, false, false);
			this.reason = reason;
		}
	}

	private OrtSession openCuda(String path, byte[] model, boolean encoder) throws CudaUnavailable {
		// The CPU build's CUDA error ("Failed to find CUDA shared provider") does not say what to do.
		if (!CudaProblems.buildHasCuda()) throw new CudaUnavailable(CudaProblems.NO_CUDA_BUILD);
		try (OrtSession.SessionOptions opts = baseOptions(encoder)) {
			opts.addCUDA(0);
			return open(path, model, opts);
		}
		catch (OrtException | ModelException | RuntimeException | UnsatisfiedLinkError e) {
			throw new CudaUnavailable(CudaProblems.reason(e.getMessage()));
		}
	}

	private void checkOpensOnCpu(String path, byte[] model, String what, boolean encoder) throws ModelException {
		try (OrtSession s = openCpu(path, model, what, encoder)) {
			// Opening is the check.
		}
		catch (OrtException e) {
			// Closing failed: the file opened, which is all this wanted to know.
		}
	}

	private OrtSession openCpu(String path, byte[] model, String what, boolean encoder) throws ModelException {
		try (OrtSession.SessionOptions opts = baseOptions(encoder)) {
			return open(path, model, opts);
		}
		catch (OrtException e) {
			throw cannotOpen(what, e);
		}
	}

	private static ModelException cannotOpen(String what, OrtException e) {
		return new ModelException("ONNX Runtime cannot open the " + what + ": " + firstLine(e.getMessage()) +
			". Check that the file is a complete ONNX export (opset <= 21).", e);
	}

	/**
	 * A CPU session that runs each call on the calling thread only, for callers that run several
	 * calls at once (one per core): on small per-prompt operators this gives more throughput than
	 * one call spread over all cores, whose threads spend much of their time synchronising.
	 */
	OrtSession createSingleThreaded(String path, byte[] model, String what) throws ModelException {
		try (OrtSession.SessionOptions opts = baseOptions(false)) {
			opts.setIntraOpNumThreads(1);
			opts.setInterOpNumThreads(1);
			return open(path, model, opts);
		}
		catch (OrtException e) {
			throw cannotOpen(what, e);
		}
	}

	private OrtSession open(String path, byte[] model, OrtSession.SessionOptions opts) throws OrtException {
		return path != null ? env.createSession(path, opts) : env.createSession(model, opts);
	}

	private OrtSession.SessionOptions baseOptions(boolean encoder) throws ModelException {
		try {
			OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
			opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			if (encoder) opts.setMemoryPatternOptimization(false);
			// "All cores" is said explicitly: left to ONNX Runtime's own default the same 2 threads
			// ran a ViT-B decoder call in 39 instead of 29 ms (docs/measured/decoder-batch-cpu.txt).
			int threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
			opts.setIntraOpNumThreads(threads);
			opts.setInterOpNumThreads(1);
			return opts;
		}
		catch (OrtException e) {
			throw new ModelException("Cannot configure ONNX Runtime: " + e.getMessage(), e);
		}
	}

	static String firstLine(String s) {
		if (s == null) return "no details";
		int nl = s.indexOf('\n');
		return (nl >= 0 ? s.substring(0, nl) : s).trim();
	}
}
