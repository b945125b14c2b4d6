package org.fijisam.models;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputLock;
import org.fijisam.core.SamException;

/**
 * The per-user folder of installed models. Each model is a folder {@code ROOT/NAME} that is a
 * normal model folder (sam.json + ONNX files, once converted) and also holds
 * {@value InstalledModel#RECORD} (what was installed, from where, with which hashes) and the
 * verified checkpoint under {@code checkpoint/}. Downloads in progress are
 * {@code ROOT/.NAME.partial}; a model is assembled in {@code ROOT/.NAME.installing} and moved
 * into place in one step, so a model folder is never half there. While a name is installed,
 * imported or removed, {@code ROOT/.NAME.lock} names the process that does it (see
 * {@link #lock}): two installs of one name (two CLI runs, or Fiji and the CLI) would write the
 * same partial file and staging folder.
 *
 * <p>Where the store is: an explicit folder (CLI {@code --models-dir}, the Fiji setting), else
 * the system property {@value #PROPERTY}, else the environment variable {@value #ENV}, else the
 * platform's cache folder: ~/.cache/fiji-sam/models (or $XDG_CACHE_HOME), ~/Library/Caches on
 * macOS, %LOCALAPPDATA% on Windows.
 */
public final class ModelStore {

	public static final String PROPERTY = "sam.models.dir";
	public static final String ENV = "SAM_MODELS_DIR";

	private final Path root;

	public ModelStore(Path root) {
		this.root = root;
	}

	/** The store at {@code explicit} when given (not blank), else the default location. */
	public static ModelStore at(String explicit) {
		return new ModelStore(explicit != null && !explicit.isBlank() ? Path.of(explicit.trim()) : defaultLocation());
	}

	/** The property, the environment variable, or the platform's cache folder. */
	public static Path defaultLocation() {
		String p = System.getProperty(PROPERTY, "").trim();
		if (!p.isEmpty()) return Path.of(p);
		String env = System.getenv(ENV);
		if (env != null && !env.isBlank()) return Path.of(env.trim());
		return platformDefault(System.getProperty("os.name", ""), System.getenv(), Path.of(System.getProperty(
			"user.home", ".")));
	}

	static Path platformDefault(String os, Map<String, String> env, Path home) {
		String o = os.toLowerCase(Locale.ROOT);
		if (o.contains("win")) {
			String local = env.get("LOCALAPPDATA");
			return (local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local"))
				.resolve("fiji-sam").resolve("models");
		}
		if (o.contains("mac")) return home.resolve("Library").resolve("Caches").resolve("fiji-sam").resolve("models");
		String xdg = env.get("XDG_CACHE_HOME");
		return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".cache")).resolve("fiji-sam").resolve(
			"models");
	}

	public Path root() {
		return root;
	}

	/** Refuses names that could leave the store or hide as scratch files. */
	public static String checkName(String name) {
		if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) throw new IllegalArgumentException(
			"a model name is letters, digits, '.', '_' and '-' and starts with a letter or digit, not '" + name + "'");
		return name;
	}

	/** The model folder of a name (installed or not). */
	public Path folder(String name) {
		return root.resolve(checkName(name));
	}

	/** Where a download of one file of a model waits until it is complete and verified. */
	public Path partial(String name, String role) {
		return root.resolve("." + checkName(name) + (role.equals("checkpoint") ? "" : "." + role) + ".partial");
	}

	Path staging(String name) {
		return root.resolve("." + checkName(name) + ".installing");
	}

	/** The lock file of a model name. */
	public Path lockFile(String name) {
		return root.resolve("." + checkName(name) + ".lock");
	}

	/**
	 * Holds a model name for this process while it installs, imports or removes it. A lock of an
	 * ended process of this host (killed, crashed) is taken over; a live holder (another process,
	 * or another command of this one) is an error that names it and says what to do.
	 *
	 * @param what this process's work in words, e.g. "sam-cli models install sam_vit_b"
	 */
	public OutputLock lock(String name, String what) throws SamException {
		Path file = lockFile(name);
		FileProblems.attempt("create the model store", root, () -> Files.createDirectories(root));
		return OutputLock.acquireFile(file, what, (holder, f) -> new SamException("Another install of " + name +
			" is running: " + holder + ". Wait for it to finish, then run this again: it then finds " + name +
			" installed (or resumes the download where that one stopped). If that process is gone (its computer " +
			"was switched off), delete " + f + "."));
	}

	public boolean isInstalled(String name) {
		try {
			return Files.isRegularFile(folder(name).resolve(InstalledModel.RECORD));
		}
		catch (IllegalArgumentException e) {
			return false;
		}
	}

	/** The installed model of that name, or null. */
	public InstalledModel find(String name) throws SamException {
		return isInstalled(name) ? InstalledModel.read(folder(name)) : null;
	}

	/** The installed model, or an error that lists what is installed. */
	public InstalledModel get(String name) throws SamException {
		InstalledModel m = find(name);
		if (m == null) throw new SamException("No model named '" + name + "' is installed in " + root + ". " +
			installedText() + " ('sam-cli models list' shows what can be installed.)");
		return m;
	}

	/** The installed models, by name. */
	public List<InstalledModel> list() throws SamException {
		List<InstalledModel> out = new ArrayList<>();
		for (String n : names())
			out.add(InstalledModel.read(folder(n)));
		return out;
	}

	/** The names of the installed models, sorted; empty when the store does not exist yet. */
	public List<String> names() {
		List<String> out = new ArrayList<>();
		if (!Files.isDirectory(root)) return out;
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
			for (Path p : ds) {
				String n = p.getFileName().toString();
				if (!n.startsWith(".") && Files.isRegularFile(p.resolve(InstalledModel.RECORD))) out.add(n);
			}
		}
		catch (IOException e) {
			// An unreadable store lists nothing; installing into it reports the cause.
		}
		out.sort(null);
		return out;
	}

	/** "Installed: a, b." or "No model is installed yet." */
	public String installedText() {
		List<String> n = names();
		return n.isEmpty() ? "No model is installed yet." : "Installed: " + String.join(", ", n) + ".";
	}

	/** Deletes an installed model; refuses a name that is not installed. */
	public void remove(String name) throws SamException {
		get(name);
		Path f = folder(name);
		try (OutputLock lock = lock(name, "removing " + name)) {
			FileProblems.attempt("remove the model folder", f, () -> deleteTree(f));
		}
	}

	/** Deletes a folder and what is in it, without following links out of it. */
	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
		Files.walkFileTree(dir, new SimpleFileVisitor<Path>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
				if (e != null) throw e;
				Files.delete(d);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	/** Bytes on disk under a folder. */
	static long sizeOnDisk(Path dir) {
		long[] sum = { 0 };
		try {
			Files.walkFileTree(dir, new SimpleFileVisitor<Path>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					sum[0] += attrs.size();
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException e) {
			// A size is information only.
		}
		return sum[0];
	}
}
