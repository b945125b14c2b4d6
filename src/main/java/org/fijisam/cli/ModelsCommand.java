package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;

import org.fijisam.model.ExportFolder;
import org.fijisam.model.Models;

/**
 * {@code sam-cli models inspect DIR}: recognises a ready ONNX export (official SAM 1,
 * samexporter SAM 1 / SAM 2, transformers.js) from its graphs, prints what it found and writes
 * the sam.json it needs (never over an existing one).
 */
final class ModelsCommand implements SamCli.Command {

	@Override
	public String name() { return "models"; }

	@Override
	public String summary() { return "inspect a folder of ONNX files, or convert an official checkpoint"; }

	@Override
	public String help() {
		return "usage: sam-cli models inspect DIR [--dry-run]\n" +
			"Reads the ONNX files in DIR, recognises the export from their input and output names and\n" +
			"shapes, prints the layout, family, files and tensors, and writes DIR/sam.json with the files'\n" +
			"SHA-256 (an existing sam.json is never replaced). Recognised: the official SAM 1 decoder export\n" +
			"(segment-anything's export_onnx_model.py) with its image encoder; samexporter's SAM 1 and\n" +
			"SAM 2 / 2.1 exports; transformers.js (vision_encoder.onnx + prompt_encoder_mask_decoder.onnx).\n" +
			"A model folder without sam.json is recognised the same way when it is loaded.\n" +
			"  --dry-run   print only; write nothing\n\n" + ConvertCheckpointCommand.help();
	}

	@Override
	public int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		if (argv.length > 1 && argv[1].equals("convert")) return ConvertCheckpointCommand.run(argv, out, err);
		CliArgs args = new CliArgs(argv, 1, Collections.emptySet(), new HashSet<>(List.of("dry-run")));
		List<String> pos = args.positional();
		if (pos.size() != 2 || !pos.get(0).equals("inspect")) throw new CliArgs.UsageException(
			"expected 'models inspect DIR'");
		ExportFolder.Inspection in = ExportFolder.inspect(Path.of(pos.get(1)), Models.graphReader());
		out.print(in.summary());
		if (args.flag("dry-run")) {
			out.print("sam.json (not written, --dry-run):\n" + in.json);
			return 0;
		}
		out.println(ExportFolder.write(in));
		return 0;
	}
}
