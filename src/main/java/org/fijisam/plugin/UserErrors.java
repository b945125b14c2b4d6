package org.fijisam.plugin;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.macro.Interpreter;

import org.fijisam.core.UnexpectedErrors;

/**
 * One way to tell the user that a command failed. Interactively: IJ.error. In a macro: the
 * message (as a dialog, or in the Log window in batch mode or headless, where a dialog would
 * wait for nobody) and then the macro is stopped, so it does not go on with no result.
 *
 * <p>In ImageJ 1.54g a RuntimeException thrown by a plugin is shown and the macro continues,
 * and {@code Macro.abort()} only stops threads named "...Macro$"; {@code Interpreter.abort()}
 * stops any running macro (tested in MacroErrorTest).
 */
public final class UserErrors {

	private UserErrors() {}

	/**
	 * Reports a failure nobody foresaw (a bug, out of memory) in the CLI's plain words, never as a
	 * trace; SAM_DEBUG=1 adds the trace to the Log window for a bug report.
	 */
	public static void reportUnexpected(String command, Throwable e) {
		if ("1".equals(System.getenv("SAM_DEBUG"))) {
			java.io.StringWriter trace = new java.io.StringWriter();
			e.printStackTrace(new java.io.PrintWriter(trace));
			IJ.log(command + ": " + trace);
		}
		report(command, e instanceof OutOfMemoryError ? "out of memory. Give Fiji more memory (Edit > Options > " +
			"Memory & Threads), or segment in smaller pieces (tiling, fewer points per batch)."
			: UnexpectedErrors.line(e) + " or macro");
	}

	public static void report(String command, String message) {
		boolean macro = Interpreter.getInstance() != null;
		if (macro && (Interpreter.isBatchMode() || GraphicsEnvironment.isHeadless())) {
			IJ.log(command + " error: " + message);
			System.err.println(command + " error: " + message);
		}
		else IJ.error(command, message);
		IJ.showStatus(command + " failed");
		if (macro) Interpreter.abort();
	}
}
