package org.fijisam.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.fijisam.checkpoint.Checkpoint;
import org.fijisam.core.CancelledException;
import org.fijisam.core.FileProblems;
import org.fijisam.core.OutputLock;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;

/**
 * Installs models into a {@link ModelStore}: downloads a catalog entry's files (or copies a file
 * the user has), verifies every byte against the publisher's hash and size before anything uses
 * it, checks that the checkpoint opens as plain weights, hands it to the family's
 * {@link CheckpointConverter} when this build has one, and only then moves the finished folder
 * into the store. A wrong hash deletes the download; nothing is left behind. A cancelled
 * download keeps its partial file, which the next install resumes. Each name is locked in the
 * store while it is installed or imported ({@link ModelStore#lock}), so two processes (two CLI
 * runs, Fiji and the CLI) never write the same files.
 */
public final class ModelInstaller {

	/** The families a checkpoint can be imported as. */
	public static final List<String> FAMILIES = List.of("sam1", "mobile_sam", "sam2");

	private final ModelStore store;
	private final Downloader downloader;
	private final String program;

	public ModelInstaller(ModelStore store, Downloader downloader) {
		this(store, downloader, "a model install");
	}

	/**
	 * @param program who installs, for the message another install of the same name shows
	 *          (e.g. "sam-cli models install", "Fiji's Install Model")
	 */
	public ModelInstaller(ModelStore store, Downloader downloader, String program) {
		this.store = store;
		this.downloader = downloader;
		this.program = program;
	}

	public ModelStore store() {
		return store;
	}

	/**
	 * Downloads, verifies, (converts) and places a catalog entry.
	 *
	 * @param transfers download progress (bytes, speed, ETA)
	 * @param steps the other steps (verifying, converting)
	 */
	public InstalledModel install(CatalogEntry entry, Transfer.Listener transfers, ProgressListener steps)
		throws SamException
	{
		InstalledModel existing = store.find(entry.name);
		if (existing != null) return existing;
		try (OutputLock lock = store.lock(entry.name, program + " " + entry.name)) {
			// The holder of the lock before us may have finished it.
			existing = store.find(entry.name);
			if (existing != null) return existing;
			return installLocked(entry, transfers, steps);
		}
	}

	private InstalledModel installLocked(CatalogEntry entry, Transfer.Listener transfers, ProgressListener steps)
		throws SamException
	{
		Path staging = freshStaging(entry.name);
		try {
			InstalledModel record = record(entry.name, entry.title, entry.family, entry.size, entry.licence);
			record.catalogEntry = entry.name;
			Map<String, Path> files = new LinkedHashMap<>();
			for (CatalogFile f : entry.files()) {
				Path partial = store.partial(entry.name, f.role);
				try {
					downloader.download(f.url, partial, f.bytes, f.file, transfers);
				}
				catch (CancelledException e) {
					throw new CancelledException("The download of " + f.file + " was cancelled; nothing was " +
						"installed. The " + Bytes.text(sizeOf(partial)) + " received are kept in " + partial +
						": installing " + entry.name + " again resumes from there (delete that file to start over).");
				}
				catch (DownloadException e) {
					if (!e.offline) throw e;
					throw new DownloadException(e.getMessage() + " If this computer has no internet access, download " +
						f.url + " on another computer, copy it here and run 'sam-cli models import FILE --family " +
						entry.family + " --name " + entry.name + "' (in Fiji: Install Model..., import).", true, e);
				}
				steps.progress(0, "verifying " + f.file);
				InstalledModel.File done = verify(partial, f);
				done.url = f.url;
				record.files.add(done);
				Path target = staging.resolve(InstalledModel.CHECKPOINTS).resolve(f.file);
				FileProblems.attempt("place the verified download", target, () -> {
					Files.createDirectories(target.getParent());
					Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
				});
				files.put(f.role, target);
			}
			return finish(record, staging, files, steps);
		}
		finally {
			discard(staging);
		}
	}

	/**
	 * Copies a checkpoint the user already has into the store, after checking that it opens as
	 * plain weights; says which catalog entry it is when its hash matches one; converts it when
	 * this build has a converter for its family and size, as {@link #install} does. A conversion
	 * that fails (a wrong family or size) leaves nothing in the store.
	 *
	 * @param size e.g. "vit_b"; null: the matching catalog entry's, else told from the checkpoint's
	 *          tensors by the converter (null when they match no official size)
	 * @param name the name in the store; null: the matching catalog entry's, else the file's
	 */
	public Imported importCheckpoint(Path file, String family, String size, String name, ModelCatalog catalog,
		ProgressListener steps) throws SamException
	{
		return importCheckpoint(file, null, family, size, name, catalog, steps);
	}

	/**
	 * The same with micro-sam's instance decoder, which micro-sam publishes as a file of its own
	 * beside the checkpoint ("vit_b_decoder.pt"): kept with the checkpoint (checked against the
	 * catalog's decoder hash when the checkpoint is a catalog entry's) and converted with it.
	 *
	 * @param decoder the instance decoder file, or null
	 */
	public Imported importCheckpoint(Path file, Path decoder, String family, String size, String name,
		ModelCatalog catalog, ProgressListener steps) throws SamException
	{
		if (decoder != null && !Files.isRegularFile(decoder)) throw new SamException("Cannot import the instance " +
			"decoder " + decoder + ": " + (Files.isDirectory(decoder) ? "it is a folder; give the decoder file " +
				"(e.g. vit_b_decoder.pt)." : "there is no such file."));
		if (!FAMILIES.contains(family)) throw new SamException("Unknown family '" + family + "'. Give one of " +
			String.join(", ", FAMILIES) + ".");
		if (!Files.isRegularFile(file)) throw new SamException("Cannot import " + file + ": " + (Files.isDirectory(
			file) ? "it is a folder; give the checkpoint file (.pt, .pth or .safetensors)." : "there is no such file."));
		checkWeights(file);
		String given = size == null || size.isBlank() ? null : size.trim();
		steps.progress(0, "hashing " + file.getFileName());
		Map<String, FileHash> hashes;
		try {
			hashes = FileHash.of(file, List.of(FileHash.SHA256, FileHash.XXH128, FileHash.GITBLOB));
		}
		catch (IOException e) {
			throw FileProblems.error("read", file, e);
		}
		CatalogEntry match = null;
		for (CatalogEntry e : catalog == null ? List.<CatalogEntry> of() : catalog.entries()) {
			FileHash h = e.checkpoint().hash;
			if (h != null && h.equals(hashes.get(h.algorithm))) {
				match = e;
				break;
			}
		}
		if (match != null && !match.family.equals(family)) throw new SamException(file.getFileName() + " is the " +
			"catalog's " + match.name + ", whose family is " + match.family + ", not " + family + ". Import it with " +
			"--family " + match.family + ".");
		if (match != null && given != null && !given.equals(match.size)) throw new SamException(file.getFileName() +
			" is the catalog's " + match.name + ", whose size is " + match.size + ", not " + given + ". Import it " +
			"with --size " + match.size + " (or without --size).");
		// Asked even when the size is given: a checkpoint of another family is refused here, before it is copied.
		String guessed = CheckpointConverters.guessSize(family, file);
		String sz = given != null ? given : match != null ? match.size : guessed;
		String n = name != null ? name : match != null ? match.name : stem(file);
		try {
			ModelStore.checkName(n);
		}
		catch (IllegalArgumentException e) {
			throw new SamException("Cannot name the model '" + n + "': " + e.getMessage() + ". Give --name.");
		}
		refuseInstalled(n);
		try (OutputLock lock = store.lock(n, program + " (import of " + file.getFileName() + ")")) {
			refuseInstalled(n);
			return importLocked(file, decoder, family, sz, n, match, hashes, steps);
		}
	}

	private void refuseInstalled(String n) throws SamException {
		if (store.isInstalled(n)) throw new SamException("A model named " + n + " is already installed in " + store
			.root() + ". Remove it first ('sam-cli models remove " + n + "') or give another --name.");
	}

	private Imported importLocked(Path file, Path decoder, String family, String size, String n, CatalogEntry match,
		Map<String, FileHash> hashes, ProgressListener steps) throws SamException
	{
		Path staging = freshStaging(n);
		try {
			InstalledModel record = match != null ? record(n, match.title, match.family, match.size, match.licence)
				: record(n, null, family, size, null);
			if (match != null) record.catalogEntry = match.name;
			Path target = staging.resolve(InstalledModel.CHECKPOINTS).resolve(match != null ? match.checkpoint().file
				: file.getFileName().toString());
			FileHash copied = copy(file, target);
			if (!copied.equals(hashes.get(FileHash.SHA256))) throw new SamException(file + " changed while it was " +
				"copied (its SHA-256 differs from the copy's). Import it again when nothing writes to it.");
			record.files.add(importedFile("checkpoint", target, copied, match != null ? match.checkpoint().hash : null));
			Map<String, Path> files = new LinkedHashMap<>();
			files.put("checkpoint", target);
			if (decoder != null) files.put("decoder", importDecoder(decoder, match, staging, record, steps));
			try {
				return new Imported(finish(record, staging, files, steps), match);
			}
			catch (CancelledException e) {
				throw e;
			}
			catch (SamException e) {
				throw new SamException(e.getMessage() + (e.getMessage().endsWith(".") ? "" : ".") + " Nothing was " +
					"imported: " + n + " is not in the model store.", e);
			}
		}
		finally {
			discard(staging);
		}
	}

	/**
	 * Copies an instance decoder file beside the imported checkpoint; with a catalog entry that
	 * publishes one, the file must be that one (its hash), under that entry's file name.
	 */
	private static Path importDecoder(Path decoder, CatalogEntry match, Path staging, InstalledModel record,
		ProgressListener steps) throws SamException
	{
		CatalogFile published = null;
		if (match != null) for (CatalogFile f : match.files())
			if (f.role.equals("decoder")) published = f;
		steps.progress(0, "copying " + decoder.getFileName());
		Path target = staging.resolve(InstalledModel.CHECKPOINTS).resolve(published != null ? published.file
			: decoder.getFileName().toString());
		if (target.getFileName().toString().equals(record.files.get(0).file)) throw new SamException("The " +
			"instance decoder " + decoder.getFileName() + " has the checkpoint's file name: give the decoder file " +
			"itself (e.g. vit_b_decoder.pt).");
		FileHash copied = copy(decoder, target);
		if (published != null && published.hash != null) {
			FileHash got;
			try {
				got = published.hash.of(target);
			}
			catch (IOException e) {
				throw FileProblems.error("read", target, e);
			}
			if (!got.equals(published.hash)) throw new SamException(decoder.getFileName() + " is not the instance " +
				"decoder of the catalog's " + match.name + " (its " + published.hash.algorithm + " is " + got.hex +
				", the publisher's " + published.hash.hex + "). Give " + published.file + " from " + published.url +
				", or import the checkpoint without it.");
		}
		record.files.add(importedFile("decoder", target, copied, published != null ? published.hash : null));
		return target;
	}

	/** The record of a file copied into the store: checked against the publisher's hash, else its own. */
	private static InstalledModel.File importedFile(String role, Path target, FileHash copied, FileHash published) {
		InstalledModel.File f = new InstalledModel.File();
		f.role = role;
		f.file = target.getFileName().toString();
		f.bytes = sizeOf(target);
		f.sha256 = copied.hex;
		f.hash = (published != null ? published : copied).toString();
		f.hashOrigin = published != null ? "publisher" : "computed at import";
		return f;
	}

	/** An imported checkpoint, and the catalog entry whose published hash it matched (or null). */
	public static final class Imported {
		public final InstalledModel model;
		public final CatalogEntry matched;

		Imported(InstalledModel model, CatalogEntry matched) {
			this.model = model;
			this.matched = matched;
		}
	}

	/**
	 * Hashes an installed model's files again: the checkpoint files against the hashes recorded at
	 * install, and the converted files against sam.json's SHA-256. Records the outcome.
	 *
	 * @return the problems found; empty when all is intact
	 */
	public List<String> verify(String name, ProgressListener steps) throws SamException {
		InstalledModel m = store.get(name);
		List<String> problems = new ArrayList<>();
		for (InstalledModel.File f : m.files) {
			Path p = m.checkpoint(f);
			steps.progress(0, "verifying " + f.file);
			if (!Files.isRegularFile(p)) {
				problems.add(f.file + " is missing");
				continue;
			}
			try {
				FileHash want = FileHash.parse(f.hash);
				FileHash got = want.of(p);
				if (!got.equals(want)) problems.add(f.file + " is damaged: expected " + want + ", found " + got);
			}
			catch (IOException e) {
				problems.add(FileProblems.describe("read", p, e));
			}
		}
		problems.addAll(verifyConverted(m.folder()));
		m.verified = problems.isEmpty();
		m.verifiedAt = now();
		m.write(m.folder());
		return problems;
	}

	// ---- steps ----

	private InstalledModel finish(InstalledModel record, Path staging, Map<String, Path> files,
		ProgressListener steps) throws SamException
	{
		checkWeights(files.get("checkpoint"));
		CheckpointConverter converter = CheckpointConverters.find(record.family, record.size);
		if (converter != null) {
			steps.progress(0, "converting " + record.name + " to ONNX");
			converter.convert(new CheckpointConverter.Request(record.name, record.family, record.size, files, staging),
				steps);
			record.converted = true;
		}
		else record.conversionNote = record.size == null ? "its size is not known (its tensors match no official " +
			"size), so it was not converted to ONNX; remove it and import it again with --size to convert it"
			: CheckpointConverters.notAvailable(record.family, record.size);
		record.verified = true;
		record.verifiedAt = record.installed;
		record.write(staging);
		Path target = store.folder(record.name);
		FileProblems.attempt("move the model into place", target, () -> {
			try {
				Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(staging, target);
			}
		});
		return store.get(record.name);
	}

	/** Checks a complete download's size and hash; a wrong one is deleted. */
	private static InstalledModel.File verify(Path partial, CatalogFile f) throws SamException {
		List<String> algorithms = new ArrayList<>(List.of(FileHash.SHA256));
		if (f.hash != null && !f.hash.algorithm.equals(FileHash.SHA256)) algorithms.add(f.hash.algorithm);
		Map<String, FileHash> got;
		long size;
		try {
			size = Files.size(partial);
			got = FileHash.of(partial, algorithms);
		}
		catch (IOException e) {
			throw FileProblems.error("read the download", partial, e);
		}
		String problem = null;
		if (f.bytes >= 0 && size != f.bytes) problem = "its size is " + size + " bytes, but " + f.bytes + " are expected";
		else if (f.hash != null && !f.hash.equals(got.get(f.hash.algorithm))) problem = "its hash is " + got.get(
			f.hash.algorithm) + " but " + f.hash + " is expected";
		if (problem != null) {
			try {
				Files.deleteIfExists(partial);
			}
			catch (IOException e) {
				// The message below still tells what happened.
			}
			throw new SamException("The download of " + f.file + " from " + f.url + " is not the published file: " +
				problem + ". It was deleted and nothing was installed. Run the command again; if it fails the same " +
				"way, the file on the server has changed: report it.");
		}
		InstalledModel.File done = new InstalledModel.File();
		done.role = f.role;
		done.file = f.file;
		done.bytes = size;
		done.sha256 = got.get(FileHash.SHA256).hex;
		done.hash = (f.hash != null ? f.hash : got.get(FileHash.SHA256)).toString();
		done.hashOrigin = f.hash != null ? "publisher" : "computed at install";
		return done;
	}

	/** The checkpoint must open through the safe reader and hold tensors: a plain weights checkpoint. */
	static void checkWeights(Path file) throws SamException {
		try (Checkpoint c = Checkpoint.open(file)) {
			if (c.root().tensors().isEmpty()) throw new SamException(file.getFileName() + " opens but holds no " +
				"tensors: it is not a weights checkpoint.");
		}
		catch (IOException e) {
			throw FileProblems.error("read", file, e);
		}
	}

	/** Copies a file while hashing what was written; a full disk leaves nothing (the staging folder goes). */
	private static FileHash copy(Path from, Path to) throws SamException {
		FileHash.Hasher h = new FileHash.Hasher(List.of(FileHash.SHA256), 0);
		byte[] buf = new byte[1 << 20];
		FileProblems.attempt("copy the checkpoint into the model store", to, () -> {
			Files.createDirectories(to.getParent());
			try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to,
				StandardOpenOption.CREATE_NEW))
			{
				for (int n; (n = in.read(buf)) > 0;) {
					out.write(buf, 0, n);
					h.update(buf, 0, n);
				}
			}
		});
		return h.results().get(FileHash.SHA256);
	}

	/** Problems of the converted files (sam.json's "sha256" map), none when not converted. */
	private static List<String> verifyConverted(Path folder) {
		List<String> problems = new ArrayList<>();
		Path json = folder.resolve("sam.json");
		if (!Files.isRegularFile(json)) return problems;
		try {
			JsonElement sha = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8))
				.getAsJsonObject().get("sha256");
			if (sha == null || !sha.isJsonObject()) return problems;
			for (Map.Entry<String, JsonElement> e : ((JsonObject) sha).entrySet()) {
				Path p = folder.resolve(e.getKey());
				FileHash want = new FileHash(FileHash.SHA256, e.getValue().getAsString());
				if (!Files.isRegularFile(p)) problems.add(e.getKey() + " is missing");
				else if (!want.equals(want.of(p))) problems.add(e.getKey() + " is damaged (its SHA-256 is not the " +
					"one in sam.json)");
			}
		}
		catch (IOException | RuntimeException e) {
			problems.add("sam.json cannot be read: " + FileProblems.cause(json, e instanceof IOException ? e
				: new IOException(e.getMessage())));
		}
		return problems;
	}

	private Path freshStaging(String name) throws SamException {
		Path staging = store.staging(name);
		FileProblems.attempt("prepare the model folder", staging, () -> {
			ModelStore.deleteTree(staging);
			Files.createDirectories(staging);
		});
		return staging;
	}

	private static void discard(Path staging) {
		try {
			ModelStore.deleteTree(staging);
		}
		catch (IOException e) {
			// Only a leftover scratch folder: the next install of this name deletes it first.
		}
	}

	private static InstalledModel record(String name, String title, String family, String size, String licence) {
		InstalledModel m = new InstalledModel();
		m.name = name;
		m.title = title;
		m.family = family;
		m.size = size;
		m.licence = licence;
		m.installed = now();
		return m;
	}

	private static String now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
	}

	private static long sizeOf(Path p) {
		try {
			return Files.size(p);
		}
		catch (IOException e) {
			return -1;
		}
	}

	private static String stem(Path file) {
		String n = file.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._-]+", "");
	}

	/** What an install or import did, in one paragraph for the CLI, the Log window and the status bar. */
	public static String describe(InstalledModel m) {
		boolean downloaded = !m.files.isEmpty() && m.files.get(0).url != null;
		StringBuilder sb = new StringBuilder(m.name).append(": ").append(downloaded ? "downloaded" : "imported");
		List<String> hashes = new ArrayList<>();
		for (InstalledModel.File f : m.files)
			hashes.add(f.file + " " + ("publisher".equals(f.hashOrigin) ? "matches the published " + f.hash
				.substring(0, f.hash.indexOf(':')) : "has SHA-256 " + f.sha256 + " (no published hash; recorded now)"));
		sb.append(" and verified (").append(String.join("; ", hashes)).append(")");
		if (m.converted) sb.append(" and converted to ONNX. Use it by name: --model ").append(m.name).append(
			" (in Fiji: model=").append(m.name).append(").");
		else sb.append("; ").append(m.conversionNote).append(". The verified checkpoint is kept in ").append(m
			.folder().resolve(InstalledModel.CHECKPOINTS)).append('.');
		return sb.toString();
	}
}
