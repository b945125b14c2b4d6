package org.fijisam.core;

import java.util.Locale;

/**
 * The words for a failure the plugin did not foresee (a bug, or memory running out), the same
 * in the CLI, Fiji dialogs and macros: what happened in one line, what to do, no stack trace
 * and no Java class names (those go to the log only when SAM_DEBUG=1 asks for them).
 */
public final class UnexpectedFailures {

	private UnexpectedFailures() {}

	/** Whether the user asked for the technical details (stack traces) of unexpected failures. */
	public static boolean debug() {
		return "1".equals(System.getenv("SAM_DEBUG")) || Boolean.getBoolean("sam.debug");
	}

	/**
	 * One line for the user.
	 *
	 * @param memoryAdvice how to give this program more memory (differs between Fiji and the CLI)
	 */
	public static String describe(Throwable e, String memoryAdvice) {
		if (e instanceof OutOfMemoryError) return "out of memory. " + memoryAdvice + " Or segment in smaller " +
			"pieces: tiling (a smaller tile size) or fewer points per batch.";
		String what = e.getMessage() == null || e.getMessage().isBlank() ? kind(e) : kind(e) + ": " + e.getMessage()
			.replaceAll("\\b(?:java|javax|sun|jdk|ij|org)\\.[\\w.$]+", "").trim();
		return "internal error (" + what + "). Nothing was written for the step that failed. Please report it " +
			"with the steps or the command line that led to it (set SAM_DEBUG=1 for the technical details).";
	}

	/** The exception's kind in words ("null pointer", "illegal state"), not its class name. */
	static String kind(Throwable e) {
		String n = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "");
		return n.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
	}
}
