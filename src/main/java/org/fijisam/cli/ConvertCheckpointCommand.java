package org.fijisam.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import org.fijisam.convert.CheckpointConversion;
import org.fijisam.convert.ConversionTemplate;
import org.fijisam.core.Cancellation;

/**
 * {@code sam-cli models convert CHECKPOINT --family F --size S --output DIR}: an official
 * PyTorch checkpoint (or safetensors) into a model folder, offline, no Python. A part of
 * {@link ModelsCommand} kept in its own class.
 */
final class ConvertCheckpointCommand {

	static final String USAGE = "usage: sam-cli models convert CHECKPOINT --family F --size S --output DIR " +
		"[--instance-decoder FILE]\n";

	static String help() {
		return USAGE +
			"Converts an official checkpoint (.pt/.pth or .safetensors) into a model folder: the graph template\n" +
			"shipped in the plugin for that family and size, filled with the checkpoint's weights (every tensor\n" +
			"checked by name and shape), plus sam.json with the files' SHA-256. DIR must not exist (or be empty);\n" +
			"nothing is left behind when the conversion fails. micro-sam checkpoints (model_state) convert with\n" +
			"the family and size of their architecture (vit_b_lm: --family sam1 --size vit_b).\n" +
			"  --family F   sam1 (SAM ViT-B/L/H, MobileSAM, micro-sam vit_t/b/l/h) or sam2 (SAM 2.1)\n" +
			"  --size S     vit_b, vit_t (MobileSAM's TinyViT), ...; SAM 2.1: hiera_t, hiera_s, hiera_b+, hiera_l\n" +
			"  --output DIR the model folder to write\n" +
			"  --instance-decoder FILE  micro-sam's instance decoder published beside the checkpoint\n" +
			"               (vit_b_decoder.pt): becomes instance_decoder.onnx, for mode ais; a checkpoint with\n" +
			"               a \"decoder_state\" inside needs no such file\n" +
			"Converts: " + String.join(", ", ConversionTemplate.available()) + "\n";
	}

	static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
		CliArgs args = new CliArgs(argv, 1, new HashSet<>(List.of("family", "size", "output",
			"instance-decoder")), new HashSet<>());
		List<String> pos = args.positional();
		if (pos.size() != 2) throw new CliArgs.UsageException("expected 'models convert CHECKPOINT --family F " +
			"--size S --output DIR'");
		String family = args.get("family", null), size = args.get("size", null), output = args.get("output", null);
		if (family == null || size == null || output == null) throw new CliArgs.UsageException(
			"models convert needs --family, --size and --output");
		MemoryProbe.trackLiveHeap();
		long start = System.nanoTime();
		String decoder = args.get("instance-decoder", null);
		CheckpointConversion.Result r = CheckpointConversion.convert(Path.of(pos.get(1)), decoder == null ? null
			: Path.of(decoder), family, size, Path.of(output), new TerminalProgress(err, "converting"),
			Cancellation.NEVER);
		for (String n : r.notes)
			out.println("note: " + n);
		out.printf(java.util.Locale.ROOT, "wrote %s (%s %s, %.1f MB of weights) in %.1f s%n", r.folder, family, size,
			r.weightBytes / 1e6, (System.nanoTime() - start) / 1e9);
		// The memory the conversion needed: the checkpoint is mapped, not read into the heap.
		long live = MemoryProbe.peakLiveHeapBytes();
		out.printf(java.util.Locale.ROOT, "peak memory: Java heap %s, %.0f MB at most in the heap pools (-Xmx %d MB), " +
			"process %.0f MB%n", live < 0 ? "never collected" : String.format(java.util.Locale.ROOT,
				"%.0f MB in use after collections", live / 1048576.0), MemoryProbe.peakHeapBytes() / 1048576.0, Runtime
					.getRuntime().maxMemory() / 1048576, MemoryProbe.peakRssBytes() / 1048576.0);
		return 0;
	}

	private ConvertCheckpointCommand() {}
}
