package org.fijisam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Keeps the architecture visible: core is plain Java + imglib2; one package talks to ONNX Runtime. */
class ArchitectureTest {

	static final Path SRC = Path.of("src/main/java/org/fijisam");

	static List<Path> sources(Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
		}
	}

	static List<String> imports(Path file) throws IOException {
		List<String> out = new ArrayList<>();
		for (String line : Files.readAllLines(file))
			if (line.startsWith("import ")) out.add(line.substring(7).replace("static ", "").trim());
		return out;
	}

	@Test
	void coreKnowsNothingOfImageJSciJavaAwtOrOnnxRuntime() throws IOException {
		List<String> bad = new ArrayList<>();
		for (Path f : sources(SRC.resolve("core"))) {
			for (String imp : imports(f)) {
				boolean allowed = imp.startsWith("java.") || imp.startsWith("net.imglib2.") || imp.startsWith(
					"org.fijisam.core");
				if (!allowed) bad.add(f.getFileName() + ": " + imp);
			}
			String text = new String(Files.readAllBytes(f));
			for (String banned : new String[] { "ij.", "org.scijava", "java.awt", "javax.swing", "ai.onnxruntime" })
				if (text.contains(" " + banned) || text.contains("(" + banned)) bad.add(f.getFileName() +
					" uses " + banned + " by full name");
		}
		assertEquals(new ArrayList<>(), bad);
	}

	/**
	 * The option table is plain Java (every entry point reads it); the batch pipeline sits between
	 * the entry points and core: it reads and writes files through ImageJ but knows no front end,
	 * no SciJava, no AWT and no ONNX Runtime.
	 */
	@Test
	void optionsArePlainJavaAndTheBatchPipelineKnowsNoFrontEnd() throws IOException {
		List<String> bad = new ArrayList<>();
		for (Path f : sources(SRC.resolve("options")))
			for (String imp : imports(f))
				if (!(imp.startsWith("java.") || imp.startsWith("org.fijisam.core") || imp.startsWith(
					"org.fijisam.options"))) bad.add(f.getFileName() + ": " + imp);
		for (Path f : sources(SRC.resolve("batch")))
			for (String imp : imports(f))
				for (String banned : new String[] { "org.scijava", "java.awt", "javax.swing", "ai.onnxruntime",
					"org.fijisam.cli", "org.fijisam.plugin", "org.fijisam.command", "org.fijisam.ui", "org.fijisam.onnx" })
					if (imp.startsWith(banned)) bad.add(f.getFileName() + ": " + imp);
		assertEquals(new ArrayList<>(), bad);
	}

	/**
	 * The model store, catalog and downloader serve the CLI, Fiji and headless alike: plain JDK,
	 * Gson, core and the checkpoint reader; no front end, no ImageJ, no ONNX Runtime, and not the
	 * model loaders (a converter plugs in through CheckpointConverter instead).
	 */
	@Test
	void theModelStoreKnowsNoFrontEndAndNoRuntime() throws IOException {
		List<String> bad = new ArrayList<>();
		for (Path f : sources(SRC.resolve("models")))
			for (String imp : imports(f))
				if (!(imp.startsWith("java.") || imp.startsWith("com.google.gson.") || imp.startsWith("org.fijisam.core.") ||
					imp.startsWith("org.fijisam.checkpoint.") || imp.startsWith("org.fijisam.models."))) bad.add(f
						.getFileName() + ": " + imp);
		assertEquals(new ArrayList<>(), bad);
	}

	@Test
	void onlyTheOnnxPackageImportsOnnxRuntime() throws IOException {
		List<String> users = new ArrayList<>();
		for (Path f : sources(SRC))
			for (String imp : imports(f))
				if (imp.startsWith("ai.onnxruntime")) users.add(SRC.relativize(f.getParent()).toString());
		assertTrue(!users.isEmpty());
		assertEquals(List.of("onnx"), users.stream().distinct().collect(Collectors.toList()));
	}

	/**
	 * Front ends (cli, plugin, command, ui, ij) and core know models only as SamModel: nothing
	 * outside the onnx package names ONNX Runtime or the onnx package, except the one place
	 * where the ONNX families are registered with the loader registry.
	 */
	static final String REGISTRATION_POINT = "model/Models.java";

	@Test
	void onlyTheRegistryNamesTheOnnxPackage() throws IOException {
		List<String> bad = new ArrayList<>();
		for (Path f : sources(SRC)) {
			String where = SRC.relativize(f).toString().replace('\\', '/');
			if (where.startsWith("onnx/")) continue;
			for (String imp : imports(f)) {
				boolean onnx = imp.startsWith("ai.onnxruntime") || imp.startsWith("org.fijisam.onnx");
				boolean registration = where.equals(REGISTRATION_POINT) && imp.equals("org.fijisam.onnx.OnnxFamilies;");
				if (onnx && !registration) bad.add(where + ": " + imp);
			}
			String text = new String(Files.readAllBytes(f));
			for (String banned : new String[] { "ai.onnxruntime.", "org.fijisam.onnx." })
				for (String line : text.split("\n"))
					if (!line.startsWith("import ") && line.contains(banned) && !line.trim().startsWith("*") &&
						!line.trim().startsWith("//")) bad.add(where + " uses " + banned + " by full name");
		}
		assertEquals(new ArrayList<>(), bad);
	}
}
