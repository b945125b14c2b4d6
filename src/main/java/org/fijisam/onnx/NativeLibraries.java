package org.fijisam.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import ai.onnxruntime.OrtEnvironment;

/**
 * Keeps ONNX Runtime's native libraries out of the temp directory. Its Java binding copies them
 * (22 MB) into a fresh {@code onnxruntime-java*} temp folder on every start and only asks for
 * deletion at exit, which leaves the folder behind after every run and the libraries too after a
 * kill. Instead they are extracted once into a versioned per-user cache folder and ONNX Runtime
 * loads them from there ({@code onnxruntime.native.path}); the empty folder it still creates at
 * start is removed right after loading, and ones left by killed runs are swept at the next start.
 */
final class NativeLibraries {

	/** ONNX Runtime's own property: load the native libraries from this folder. */
	static final String NATIVE_PATH = "onnxruntime.native.path";

	/** Overrides the cache folder (tests; users whose home is read-only). */
	static final String CACHE_PROPERTY = "fijisam.cache.dir";

	private static final String TEMP_PREFIX = "onnxruntime-java";

	/** Older than this, an empty ONNX Runtime temp folder belongs to no starting process. */
	private static final long STALE_MILLIS = 60_000;

	private static boolean prepared;

	/** The folder ONNX Runtime was told to load from, or null. */
	private static Path cacheDir;

	private NativeLibraries() {}

	/**
	 * Must run before ONNX Runtime's first use. Failures only mean ONNX Runtime extracts to the
	 * temp directory as before (removed at exit, or by the next run's sweep if killed): never fatal.
	 */
	static synchronized void prepare() {
		if (prepared) return;
		prepared = true;
		sweepStaleTempFolders(Path.of(System.getProperty("java.io.tmpdir")));
		if (System.getProperty(NATIVE_PATH) != null) return; // the user chose a folder
		try {
			Path jar = ortJar();
			if (jar == null) return;
			Path dir = extract(jar, cacheRoot());
			if (dir == null) return;
			System.setProperty(NATIVE_PATH, dir.toString());
			cacheDir = dir;
		}
		catch (IOException | RuntimeException e) {
			// Read-only home, full disk...: ONNX Runtime's own extraction still works.
		}
	}

	/**
	 * Removes the temp folder ONNX Runtime made at start: empty, or holding only copies of what it
	 * loaded from our cache folder, where it also finds any provider library it looks for later.
	 * A folder that ONNX Runtime loaded from (the cache could not be written, or another plugin
	 * started ONNX Runtime first) stays until exit, as ONNX Runtime intends.
	 */
	static synchronized void removeOrtTempFolder() {
		try {
			Class<?> c = Class.forName("ai.onnxruntime.OnnxRuntime");
			Object dir = staticField(c, "tempDirectory");
			Object loadedFrom = staticField(c, "libraryDirPathProperty");
			if (!(dir instanceof Path) || !Files.isDirectory((Path) dir)) return;
			boolean ours = cacheDir != null && cacheDir.toString().equals(loadedFrom);
			if (ours || isEmpty((Path) dir)) deleteTree((Path) dir);
		}
		catch (ReflectiveOperationException | IOException | RuntimeException e) {
			// Another ONNX Runtime version: its folder stays until exit.
		}
	}

	private static Object staticField(Class<?> c, String name) throws ReflectiveOperationException {
		Field f = c.getDeclaredField(name);
		f.setAccessible(true);
		return f.get(null);
	}

	/** The cache folder's parent: per user, outside the temp directory. */
	static Path cacheRoot() {
		String override = System.getProperty(CACHE_PROPERTY);
		if (override != null && !override.isBlank()) return Path.of(override);
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String home = System.getProperty("user.home");
		if (os.contains("win") && System.getenv("LOCALAPPDATA") != null) return Path.of(System.getenv(
			"LOCALAPPDATA"), "segment-anything-fiji");
		if (os.contains("mac")) return Path.of(home, "Library", "Caches", "segment-anything-fiji");
		String xdg = System.getenv("XDG_CACHE_HOME");
		return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache")).resolve(
			"segment-anything-fiji");
	}

	private static Path ortJar() {
		try {
			java.security.CodeSource cs = OrtEnvironment.class.getProtectionDomain().getCodeSource();
			if (cs == null || cs.getLocation() == null) return null;
			Path p = Path.of(cs.getLocation().toURI());
			return Files.isRegularFile(p) ? p : null;
		}
		catch (URISyntaxException | RuntimeException e) {
			return null;
		}
	}

	/**
	 * Extracts this platform's libraries from the jar into {@code root/onnxruntime-VERSION-OS-ARCH-KEY}
	 * (KEY tells the CPU and GPU builds of one version apart) unless they are there already.
	 *
	 * @return the folder, or null when the jar has no libraries for this platform
	 */
	static Path extract(Path jar, Path root) throws IOException {
		String platform = platform();
		String prefix = "ai/onnxruntime/native/" + platform + "/";
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			List<ZipEntry> libs = new ArrayList<>();
			CRC32 key = new CRC32();
			for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
				ZipEntry e = en.nextElement();
				String rest = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : "";
				// Debug symbols live in sub-folders (.dSYM); only the libraries themselves are loaded.
				if (rest.isEmpty() || rest.contains("/") || e.isDirectory()) continue;
				libs.add(e);
				key.update((rest + ":" + e.getSize() + ":" + e.getCrc() + ";").getBytes(StandardCharsets.UTF_8));
			}
			if (libs.isEmpty()) return null;
			Path dir = root.resolve(artifact(zip) + "-" + platform + "-" + String.format("%08x", key.getValue()));
			Files.createDirectories(dir);
			removeStaleParts(dir);
			for (ZipEntry e : libs)
				install(zip, e, dir.resolve(e.getName().substring(prefix.length())));
			return dir;
		}
	}

	/** The same platform names as ONNX Runtime's loader uses for its resource folders. */
	static String platform() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
		String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
		String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch.startsWith("aarch64") ||
			arch.startsWith("arm64") ? "aarch64" : arch;
		return o + "-" + a;
	}

	/**
	 * "onnxruntime-1.23.2" or "onnxruntime_gpu-1.23.2", from the Maven metadata that the jar (and
	 * the CLI's fat jar, whose own manifest names this project) carries; the key in the folder name
	 * tells builds apart when it is missing.
	 */
	static String artifact(ZipFile zip) {
		Pattern pom = Pattern.compile(
			"META-INF/maven/com\\.microsoft\\.onnxruntime/(onnxruntime[\\w-]*)/pom\\.xml");
		Pattern version = Pattern.compile("</artifactId>\\s*<version>([\\w.+-]+)</version>");
		for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
			ZipEntry e = en.nextElement();
			Matcher name = pom.matcher(e.getName());
			if (!name.matches()) continue;
			try (InputStream in = zip.getInputStream(e)) {
				Matcher v = version.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				if (v.find()) return name.group(1) + "-" + v.group(1);
			}
			catch (IOException ex) {
				// Fall through to the plain name.
			}
		}
		return "onnxruntime";
	}

	/**
	 * Writes one library unless a complete copy is there: extracted under a temporary name in the
	 * same folder, checked against the jar's size and CRC, then renamed, so that a run killed
	 * half-way never leaves a truncated library under the real name.
	 */
	private static void install(ZipFile zip, ZipEntry e, Path target) throws IOException {
		if (Files.isRegularFile(target) && Files.size(target) == e.getSize()) return;
		Path part = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
		try {
			CRC32 crc = new CRC32();
			long n = 0;
			try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(part)) {
				byte[] buf = new byte[1 << 16];
				for (int r; (r = in.read(buf)) > 0;) {
					out.write(buf, 0, r);
					crc.update(buf, 0, r);
					n += r;
				}
			}
			if (n != e.getSize() || crc.getValue() != e.getCrc()) throw new IOException("extracted copy of " + e
				.getName() + " does not match the jar");
			try {
				Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException | java.nio.file.AccessDeniedException ex) {
				// Windows: another process has the library loaded; its copy is complete (it was renamed too).
				if (!(Files.isRegularFile(target) && Files.size(target) == e.getSize())) throw ex;
			}
		}
		finally {
			Files.deleteIfExists(part);
		}
	}

	/** Half-written copies of runs killed while extracting; a minute old, no one is writing them. */
	private static void removeStaleParts(Path dir) {
		try (java.util.stream.Stream<Path> s = Files.list(dir)) {
			s.filter(p -> p.getFileName().toString().endsWith(".part") && isOld(p)).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				}
				catch (IOException e) {
					// Next time.
				}
			});
		}
		catch (IOException | RuntimeException e) {
			// Nothing to clean.
		}
	}

	private static boolean isOld(Path p) {
		try {
			return System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis() >= STALE_MILLIS;
		}
		catch (IOException e) {
			return false;
		}
	}

	/**
	 * Removes ONNX Runtime temp folders that no running process can still need: empty ones older
	 * than a minute (with our libraries cached, ONNX Runtime's folder stays empty), and on Linux
	 * non-empty ones from runs that were killed, i.e. whose libraries no process has mapped.
	 */
	static void sweepStaleTempFolders(Path tmp) {
		List<Path> candidates = new ArrayList<>();
		try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
			s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isDirectory(p) && Files
				.isWritable(p)).forEach(candidates::add);
		}
		catch (IOException | RuntimeException e) {
			return;
		}
		if (candidates.isEmpty()) return;
		LiveMappings mapped = null;
		for (Path dir : candidates) {
			try {
				if (!isOld(dir)) continue;
				if (isEmpty(dir)) {
					Files.deleteIfExists(dir);
					continue;
				}
				if (mapped == null) mapped = LiveMappings.read();
				if (!mapped.known() || mapped.contains(dir.toRealPath())) continue;
				deleteTree(dir);
			}
			catch (IOException | RuntimeException e) {
				// Someone else's folder, or it vanished meanwhile: leave it.
			}
		}
	}

	private static boolean isEmpty(Path dir) throws IOException {
		try (java.util.stream.Stream<Path> s = Files.list(dir)) {
			return s.findAny().isEmpty();
		}
	}

	static void deleteTree(Path dir) {
		try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				}
				catch (IOException e) {
					// Loaded library on Windows: ONNX Runtime's delete-on-exit gets it.
				}
			});
		}
		catch (IOException | RuntimeException e) {
			// Nothing to clean.
		}
	}
}
