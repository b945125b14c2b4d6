package org.fijisam.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fijisam.core.SamException;
import org.fijisam.model.ExportFolder;
import org.fijisam.model.Models;
import org.fijisam.models.Bytes;
import org.fijisam.models.CatalogEntry;
import org.fijisam.models.Downloader;
import org.fijisam.models.InstalledModel;
import org.fijisam.models.ModelCatalog;
import org.fijisam.models.ModelInstaller;
import org.fijisam.models.ModelStore;

/**
 * {@code sam-cli models ...}: the model store (list, install, import, verify, remove official
 * checkpoints by name) and {@code inspect}, which recognises a ready ONNX export and writes its
 * sam.json.
 */
final class ModelsCommand implements SamCli.Command {

	@Override
	public String name() { return "models"; }

	@Override
	public String summary() { return "install official models by name, convert checkpoints, inspect ONNX folders"; }

	@Override
	public String help() {
		return "usage: sam-cli models list\n" +
			"       sam-cli models install NAME [--proxy HOST:PORT] [--timeout S]\n" +
			"       sam-cli models import FILE --family sam1|mobile_sam|sam2 [--size S] [--name NAME]\n" +
			"                             [--instance-decoder FILE]\n" +
			"       sam-cli models verify [NAME]\n" +
			"       sam-cli models remove NAME\n" +
			"       sam-cli models inspect DIR [--dry-run]\n" +
			"list     the catalog of official checkpoints (SAM 1, MobileSAM, micro-sam, SAM 2.1) with family/size,\n" +
			"         download size, licence and, for each installed one, its size on disk, whether it is\n" +
			"         verified and whether it is converted (usable by name) or only its checkpoint is kept;\n" +
			"         then the other installed models (imported files).\n" +
			"install  downloads a catalog model, resuming an interrupted download, verifies it against the\n" +
			"         publisher's hash (or size; the SHA-256 is then recorded) and places it in the store.\n" +
			"         Installed models are used by name: --model NAME.\n" +
			"import   copies a checkpoint you already have (e.g. downloaded on another computer) into the\n" +
			"         store, after checking that it is a plain weights checkpoint; says which catalog model\n" +
			"         it is when its hash matches one; converts it, as install does, when the family and size\n" +
			"         (--size, else the catalog entry's, else told from the tensors) are listed under\n" +
			"         'Converts' below, so it is usable by name at once. A checkpoint that is not of the\n" +
			"         given family or size is refused with what it is, and nothing is imported.\n" +
			"Two installs or imports of one name at once (two sam-cli runs, Fiji and sam-cli): the second\n" +
			"stops with a message naming the first (host, process); run it again when that one is done.\n" +
			"verify   hashes installed files again (all models, or NAME); exit code 1 if any is damaged.\n" +
			"remove   deletes an installed model (only names that are installed).\n" +
			"inspect  reads the ONNX files in DIR, recognises the export from their input and output names\n" +
			"         and shapes (official SAM 1 decoder export with its encoder; samexporter SAM 1 and\n" +
			"         SAM 2 / 2.1; transformers.js), prints what it found and writes DIR/sam.json with the\n" +
			"         files' SHA-256 (never over an existing one).\n" +
			"convert  turns an official checkpoint file into a model folder (below); install converts the\n" +
			"         families and sizes listed there and keeps the verified checkpoint of the others.\n" +
			"  --models-dir DIR    the model store (default: $SAM_MODELS_DIR, else ~/.cache/fiji-sam/models)\n" +
			"  --proxy HOST:PORT   HTTP proxy (default: the JVM's, e.g. -Dhttps.proxyHost=... -Dhttps.proxyPort=...)\n" +
			"  --timeout S         seconds to wait for a connection or for data (default 30)\n" +
			"  --size S            import: the checkpoint's size (vit_b, vit_l, vit_h, vit_t, hiera_tiny...)\n" +
			"  --name NAME         import: the name in the store (default: the catalog's, else the file's)\n" +
			"  --instance-decoder FILE  import: micro-sam's instance decoder, published beside its checkpoint\n" +
			"                      (vit_b_decoder.pt); kept and converted with it (mode ais)\n" +
			"  --dry-run           inspect: print only; write nothing\n\n" + ConvertCheckpointCommand.help();
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		if (argv.length > 1 && argv[1].equals("convert")) return ConvertCheckpointCommand.run(argv, out, err);
		CliArgs args = new CliArgs(argv, 1, Set.of("models-dir", "proxy", "timeout", "family", "size", "instance-decoder",
			"name"), Set.of(
			"dry-run"));
		List<String> pos = args.positional();
		String action = pos.isEmpty() ? "" : pos.get(0);
		switch (action) {
			case "inspect":
				return inspect(args, pos, out);
			case "list":
				expect(pos, 1, "models list");
				return list(args, out);
			case "install":
				expect(pos, 2, "models install NAME");
				return install(args, pos.get(1), out, err);
			case "import":
				expect(pos, 2, "models import FILE --family F");
				return importFile(args, pos.get(1), out, err);
			case "verify":
				if (pos.size() > 2) throw new CliArgs.UsageException("expected 'models verify [NAME]'");
				return verify(args, pos.size() == 2 ? pos.get(1) : null, out, err);
			case "remove":
				expect(pos, 2, "models remove NAME");
				store(args).remove(pos.get(1));
				out.println("removed " + pos.get(1) + " from " + store(args).root());
				return 0;
			default:
				throw new CliArgs.UsageException("expected 'models list|install|import|verify|remove|convert|inspect'");
		}
	}

	private static void expect(List<String> pos, int n, String usage) throws CliArgs.UsageException {
		if (pos.size() != n) throw new CliArgs.UsageException("expected '" + usage + "'");
	}

	private static ModelStore store(CliArgs args) {
		return ModelStore.at(args.get("models-dir", null));
	}

	private static int inspect(CliArgs args, List<String> pos, PrintStream out) throws Exception {
		if (pos.size() != 2) throw new CliArgs.UsageException("expected 'models inspect DIR'");
		ExportFolder.Inspection in = ExportFolder.inspect(Path.of(pos.get(1)), Models.graphReader());
		out.print(in.summary());
		if (args.flag("dry-run")) {
			out.print("sam.json (not written, --dry-run):\n" + in.json);
			return 0;
		}
		out.println(ExportFolder.write(in));
		return 0;
	}

	private static int list(CliArgs args, PrintStream out) throws SamException {
		ModelStore store = store(args);
		ModelCatalog catalog = ModelCatalog.current();
		out.println("model store: " + store.root());
		String row = "%-30s %-22s %-9s %-9s %-38s %s%n";
		out.printf(Locale.ROOT, row, "NAME", "FAMILY/SIZE", "DOWNLOAD", "ON DISK", "STATE", "LICENCE");
		for (CatalogEntry e : catalog.entries()) {
			InstalledModel m = store.find(e.name);
			out.printf(Locale.ROOT, row, e.name, kind(m != null ? m.family : e.family, m != null ? m.size : e.size), e
				.sizeText(), m == null ? "-" : Bytes.text(m.sizeOnDisk()), m != null ? state(m) : partial(store, e),
				e.licence);
		}
		boolean header = false;
		for (InstalledModel m : store.list()) {
			if (catalog.find(m.name) != null) continue;
			if (!header) out.println("installed, not from the catalog:");
			header = true;
			out.printf(Locale.ROOT, row, m.name, kind(m.family, m.size), "-", Bytes.text(m.sizeOnDisk()), state(m),
				m.licence == null ? "" : m.licence);
		}
		return 0;
	}

	private static String kind(String family, String size) {
		return family + "/" + (size == null ? "?" : size);
	}

	/** Verified or not (at install, or the last 'models verify'); converted (usable by name) or the checkpoint only. */
	static String state(InstalledModel m) {
		return "installed, " + (m.verified ? "verified" : "DAMAGED (verify)") + ", " + (m.converted
			? "converted (ONNX)" : "checkpoint only");
	}

	/** A download that stopped (cut, cancelled) waits to be resumed. */
	private static String partial(ModelStore store, CatalogEntry e) {
		Path p = store.partial(e.name, "checkpoint");
		try {
			if (Files.isRegularFile(p)) return "partly downloaded (" + Bytes.text(Files.size(p)) + ")";
		}
		catch (IOException ex) {
			// only information
		}
		return "-";
	}

	private static Downloader downloader(CliArgs args) throws CliArgs.UsageException {
		Downloader d = Downloader.fromSystem();
		try {
			if (args.get("timeout", null) != null) d = d.withTimeout(args.getInt("timeout", 30));
			if (args.get("proxy", null) != null) d = d.withProxy(Downloader.proxy(args.get("proxy", null)));
		}
		catch (IllegalArgumentException e) {
			throw new CliArgs.UsageException(e.getMessage());
		}
		return d;
	}

	private static int install(CliArgs args, String name, PrintStream out, PrintStream err) throws Exception {
		ModelStore store = store(args);
		// Options are checked first: a typo in --proxy is said even when there is nothing to download.
		Downloader downloader = downloader(args);
		CatalogEntry e = ModelCatalog.current().get(name);
		if (store.isInstalled(name)) {
			out.println(name + " is already installed in " + store.folder(name) + " (run 'sam-cli models verify " +
				name + "' to check it, or remove it to install it again).");
			return 0;
		}
		out.println("installing " + e.name + " (" + e.title + ", " + e.sizeText() + ", licence " + e.licence +
			") into " + store.root());
		TerminalProgress bar = new TerminalProgress(err, "download");
		try {
			ModelInstaller installer = new ModelInstaller(store, downloader, "sam-cli models install");
			InstalledModel m = installer.install(e, t -> bar.progress(Math.max(0, t.fraction()), t.text()), (f, msg) -> {
				bar.finish();
				err.println(msg);
			});
			bar.finish();
			out.println(ModelInstaller.describe(m));
			return 0;
		}
		finally {
			bar.finish();
		}
	}

	private static int importFile(CliArgs args, String file, PrintStream out, PrintStream err) throws Exception {
		String family = args.get("family", null);
		if (family == null) throw new CliArgs.UsageException("import needs --family (" + String.join(", ",
			ModelInstaller.FAMILIES) + ")");
		String decoder = args.get("instance-decoder", null);
		ModelInstaller.Imported r = new ModelInstaller(store(args), Downloader.fromSystem(), "sam-cli models import")
			.importCheckpoint(Path.of(file), decoder == null ? null : Path.of(decoder), family, args.get("size", null),
				args.get("name", null), ModelCatalog.current(), (f, msg) -> err.println(msg));
		if (r.matched != null) out.println(Path.of(file).getFileName() + " is the catalog's " + r.matched.name + " (" +
			r.matched.title + "): its " + r.matched.checkpoint().hash.algorithm + " matches the published hash.");
		else out.println(Path.of(file).getFileName() + " matches no catalog entry's published hash; imported as " +
			"family " + family + (r.model.size != null ? " size " + r.model.size : "") + ".");
		out.println(ModelInstaller.describe(r.model));
		return 0;
	}

	private static int verify(CliArgs args, String name, PrintStream out, PrintStream err) throws Exception {
		ModelStore store = store(args);
		ModelInstaller installer = new ModelInstaller(store, Downloader.fromSystem());
		List<String> names = name != null ? List.of(store.get(name).name) : store.names();
		if (names.isEmpty()) {
			out.println("No model is installed in " + store.root() + ".");
			return 0;
		}
		int bad = 0;
		for (String n : names) {
			List<String> problems = installer.verify(n, (f, msg) -> {});
			if (problems.isEmpty()) out.println(n + ": verified");
			else {
				bad++;
				out.println(n + ": DAMAGED: " + String.join("; ", problems) + ". Remove it and install it again.");
			}
		}
		return bad == 0 ? 0 : 1;
	}
}
