package org.fijisam.core;

/**
 * Words for failures nobody planned for (a bug, or a library failing in a new way): a short plain
 * description without Java class names, which mean nothing to a user; the stack trace goes to
 * whoever asks for it (the CLI: SAM_DEBUG=1).
 */
public final class UnexpectedErrors {

	/** Longer texts are stack dumps or native error reports, not descriptions. */
	private static final int MAX_LENGTH = 160;

	private UnexpectedErrors() {}

	/** The one line shown to the user. */
	public static String line(Throwable e) {
		return "internal error (" + describe(e) + "); please report it with the command line";
	}

	/** A short description of what failed, in plain words. */
	public static String describe(Throwable e) {
		if (e instanceof NullPointerException) return "a value was missing";
		if (e instanceof IndexOutOfBoundsException || e instanceof NegativeArraySizeException)
			return "an index was out of range";
		if (e instanceof ClassCastException) return "a value had an unexpected type";
		if (e instanceof ArithmeticException) return "a calculation failed";
		if (e instanceof StackOverflowError) return "the computation nested too deeply";
		if (e instanceof LinkageError) return "a part of the program could not be loaded; check that no jar is " +
			"missing or duplicated";
		String text = plain(e.getMessage());
		if (text.isEmpty() && e.getCause() != null && e.getCause() != e) return describe(e.getCause());
		return text.isEmpty() || text.length() > MAX_LENGTH ? "an unexpected failure" : text;
	}

	/** A message's first line without fully qualified Java names such as java.lang.Foo or org.bar.Baz$Inner. */
	static String plain(String message) {
		if (message == null) return "";
		String first = message.strip();
		int nl = first.indexOf('\n');
		if (nl >= 0) first = first.substring(0, nl);
		first = first.replaceAll("\\b(?:[a-z_][\\w]*\\.){2,}[A-Z][\\w$]*:?\\s*", "").strip();
		while (first.endsWith(".")) first = first.substring(0, first.length() - 1);
		return first;
	}
}
