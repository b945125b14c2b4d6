package org.fijisam.onnx;

import java.util.Locale;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

import org.fijisam.core.ModelException;

/**
 * Why CUDA cannot start, in words a user can act on: ONNX Runtime's own messages name a missing
 * library file or a CUDA error code but not what to install or which setting to change. The CLI,
 * the Fiji dialogs, macros and SciJava commands all show these sentences.
 */
final class CudaProblems {

	static final String NO_CUDA_BUILD = "this build has no CUDA support: build with -Pgpu / put " +
		"onnxruntime_gpu in jars/ (instead of the onnxruntime jar)";

	private CudaProblems() {}

	/** Whether the loaded ONNX Runtime native library was built with the CUDA provider. */
	static boolean buildHasCuda() {
		try {
			return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
		}
		catch (RuntimeException | LinkageError e) {
			return false;
		}
	}

	/** The reason from ONNX Runtime's message (its first line; the rest is a C++ stack). */
	static String reason(String ortMessage) {
		String first = SessionFactory.firstLine(ortMessage);
		String m = first.toLowerCase(Locale.ROOT);
		if (m.contains("no cuda-capable device") || m.contains("cudaerrornodevice") || m.contains(
			"driver version is insufficient") || m.contains("no kernel image"))
			return "no usable NVIDIA GPU or driver (" + first + ")";
		if (m.contains("libcu") || m.contains("cudnn") || m.contains("cannot open shared object") || m.contains(
			"loadlibrary") || m.contains(".dll") || m.contains("error loading"))
			return "the CUDA 12 or cuDNN 9 libraries are missing (" + first + ")";
		return "CUDA could not start (" + first + ")";
	}

	/** The error for provider CUDA: what happened and what to do. */
	static ModelException requestedButUnavailable(String reason) {
		return new ModelException("The CUDA provider cannot be used: " + reason + ". Choose provider auto (CUDA " +
			"when it starts, else the CPU) or cpu.");
	}
}
