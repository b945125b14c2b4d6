package org.fijisam.ui;

/** Placeholder, replaced by the interactive tool. */
public final class SamTool {
	public static void install() {}
}
