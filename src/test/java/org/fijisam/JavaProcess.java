package org.fijisam;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts the CLI in a child JVM with the test class path, for tests that must kill a real
 * process or give it its own temp directory.
 */
public final class JavaProcess {

	private JavaProcess() {}

	/** A builder for {@code java [jvmArgs] -cp CLASSPATH org.fijisam.cli.SamCli args}. */
	public static ProcessBuilder cli(List<String> jvmArgs, String... args) throws IOException {
		List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.addAll(jvmArgs);
		cmd.add("-cp");
		cmd.add(classPath());
		cmd.add("org.fijisam.cli.SamCli");
		cmd.addAll(Arrays.asList(args));
		return new ProcessBuilder(cmd);
	}

	/**
	 * The test JVM's class path; Surefire may start it with a single "manifest-only" jar whose
	 * manifest lists the real entries.
	 */
	static String classPath() throws IOException {
		String cp = System.getProperty("java.class.path");
		String[] parts = cp.split(File.pathSeparator);
		if (parts.length != 1 || !parts[0].endsWith(".jar")) return cp;
		try (JarFile jar = new JarFile(parts[0])) {
			Manifest m = jar.getManifest();
			String listed = m == null ? null : m.getMainAttributes().getValue("Class-Path");
			if (listed == null || listed.isBlank()) return cp;
			List<String> entries = new ArrayList<>();
			Path base = Path.of(parts[0]).toAbsolutePath().getParent();
			for (String e : listed.trim().split("\\s+")) {
				URI u = base.toUri().resolve(e);
				entries.add(Path.of(u).toString());
			}
			return String.join(File.pathSeparator, entries);
		}
	}
}
