package org.fijisam.batch;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.fijisam.core.OutputGuard;
import org.fijisam.core.OutputNames;
import org.fijisam.core.SamException;
import org.fijisam.core.UnsafeOutputException;
import org.fijisam.io.CompletionRecord;

/**
 * The inputs of a run and where their outputs go, decided before any work: which files are
 * inputs (not outputs an earlier run left in the input folder), each input's output name
 * (unique: a.tif and a.png give a_tif_* and a_png_*), and every output path claimed, so that
 * an output can never replace an input or another output. Also says which inputs an earlier
 * run finished (resume).
 */
public final class BatchPlan {

	private final List<Path> inputs = new ArrayList<>();
	private final Path output;
	private final List<ResultWriter> writers;
	private OutputNames names;
	private OutputGuard guard;
	private int ownOutputs;

	private BatchPlan(Path output, List<ResultWriter> writers) {
		this.output = output;
		this.writers = List.copyOf(writers);
	}

	/**
	 * @param listed the image files found ({@link BatchInputs})
	 * @param protectedFiles other files that must never be replaced (e.g. ROI sets beside the images)
	 */
	public static BatchPlan of(List<Path> listed, Path output, List<ResultWriter> writers, List<Path> protectedFiles)
		throws SamException
	{
		if (Files.exists(output) && !Files.isDirectory(output)) throw new UnsafeOutputException("The output " +
			output + " is a file; give a folder (it is created if missing).");
		BatchPlan b = new BatchPlan(output, writers);
		// The inputs come from one folder (or are one file): its outputs of earlier runs, read once.
		Set<String> ours = listed.isEmpty() ? Set.of() : CompletionRecord.outputsIn(listed.get(0).toAbsolutePath()
			.getParent(), output);
		for (Path p : listed) {
			if (ours.contains(p.getFileName().toString())) b.ownOutputs++;
			else b.inputs.add(p);
		}
		b.names = OutputNames.assign(b.inputs);
		b.guard = new OutputGuard(b.inputs);
		for (Path p : protectedFiles)
			b.guard.protect(p);
		for (Path p : b.inputs) {
			if (!spellable(p)) continue; // it fails alone, before any output is named
			String n = b.names.of(p), of = " of " + p.getFileName();
			for (ResultWriter w : b.writers)
				for (String file : w.fileNames(n))
					b.guard.claim(output.resolve(file), w.what() + of);
			b.guard.claim(CompletionRecord.path(output, n), "completion record" + of);
		}
		return b;
	}

	public List<Path> inputs() { return inputs; }

	public Path output() { return output; }

	public List<ResultWriter> writers() { return writers; }

	public OutputGuard guard() { return guard; }

	/** The name of an input's outputs. */
	public String name(Path input) { return names.of(input); }

	/** "a.tif -> a_tif" for every input whose outputs were renamed to stay apart. */
	public List<String> renamed() { return names.renamed(); }

	/** Files of the input folder left out because an earlier run wrote them as outputs. */
	public int ownOutputs() { return ownOutputs; }

	/** Whether an input's outputs are all there and complete (each checked against its record). */
	public boolean finished(Path input) {
		if (!spellable(input)) return false;
		String n = names.of(input);
		Set<String> done = CompletionRecord.verifiedOutputs(output, n);
		if (done == null) return false;
		for (ResultWriter w : writers)
			if (!w.isComplete(done, n)) return false;
		return true;
	}

	/**
	 * Whether the file's name survives as text in this locale: with a non-UTF-8 locale (LANG=C) a
	 * listed name like "é.tif" decodes to replacement characters that name no file. Such a file
	 * stays in the list and fails alone, with the reason and the cure (ImageFiles says it), while
	 * the rest of the folder goes on.
	 */
	public static boolean spellable(Path file) {
		try {
			Path.of(file.toString());
			return true;
		}
		catch (InvalidPathException e) {
			return false;
		}
	}
}
