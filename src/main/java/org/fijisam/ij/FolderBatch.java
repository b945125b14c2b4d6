package org.fijisam.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.gui.Roi;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.Cancellation;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.FileProblems;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.OutputGuard;
import org.fijisam.core.OutputNames;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsafeOutputException;
import org.fijisam.core.UnsupportedImageException;
import org.fijisam.io.CompletionRecord;

/**
 * Batch Segment Folder with prompts, headless-safe (no windows, no ROI Manager): every image of
 * a folder (TIFF, PNG, JPEG) is segmented with the prompts of the ROI set next to it (NAME.zip or
 * NAME.roi), and NAME-labels.tif, NAME-results.csv and NAME-rois.zip are written to the output
 * folder. (Segment everything over a folder is {@link org.fijisam.batch.BatchRun}.)
 */
public final class FolderBatch {

	private final SamPredictor predictor;
	private RoiPrompts.AreaMode areaMode = RoiPrompts.AreaMode.BOX;
	private MaskSelection selection = MaskSelection.AUTO;
	private ChannelMapping channels;
	private Normalization normalization = Normalization.auto();
	private ProgressListener progress = ProgressListener.NONE;
	private Cancellation cancellation = Cancellation.NEVER;
	private Consumer<String> log = System.out::println;

	public FolderBatch(SamPredictor predictor) {
		this.predictor = predictor;
	}

	public FolderBatch areaMode(RoiPrompts.AreaMode a) { areaMode = a; return this; }

	public FolderBatch selection(MaskSelection s) { selection = s; return this; }

	public FolderBatch channels(ChannelMapping c) { channels = c; return this; }

	public FolderBatch normalization(Normalization n) { normalization = n; return this; }

	public FolderBatch progress(ProgressListener p) { progress = p; return this; }

	public FolderBatch cancellation(Cancellation c) { cancellation = c; return this; }

	/** Where the per-image lines go (the Log window in Fiji, the log service in SciJava). */
	public FolderBatch log(Consumer<String> lines) { log = lines; return this; }

	/** The images a run would process, sorted by name. */
	public static List<Path> images(Path folder) throws UnsupportedImageException {
		if (Files.isRegularFile(folder)) throw new UnsupportedImageException("The input " + folder +
			" is a file; give the folder that holds the images.");
		if (!Files.isDirectory(folder)) throw new UnsupportedImageException("The input folder " + folder +
			" does not exist.");
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(
				"[^.].*\\.(tif|tiff|png|jpg|jpeg)$")).sorted().collect(Collectors.toList());
		}
		catch (IOException e) {
			throw new UnsupportedImageException(FileProblems.describe("list the folder", folder, e));
		}
	}

	/**
	 * Runs over the folder; returns the number of images segmented. An image that cannot be read
	 * is reported and the others go on; the run then ends with an error naming every failure.
	 * Where outputs may go is decided first (see {@link OutputGuard}): no output replaces an
	 * image, a ROI set or another output; images sharing a name (a.tif, a.png) get their own.
	 */
	public int run(Path input, Path output) throws SamException {
		List<Path> listed = images(input);
		if (Files.exists(output) && !Files.isDirectory(output)) throw new UnsafeOutputException("The output " +
			output + " is a file; give a folder (it is created if missing).");
		// Label images an earlier run wrote into the input folder are not images to segment.
		Set<String> ours = CompletionRecord.outputsIn(input, output);
		List<Path> images = listed.stream().filter(p -> !ours.contains(p.getFileName().toString())).collect(Collectors
			.toList());
		if (images.isEmpty()) throw new UnsupportedImageException("The input folder " + input +
			" holds no TIFF, PNG or JPEG images.");
		OutputNames names = OutputNames.assign(images);
		OutputGuard guard = new OutputGuard(images);
		for (Path file : images) {
			Path roi = roiFile(file);
			if (roi != null) guard.protect(roi);
		}
		for (Path file : images) {
			String base = names.of(file), of = " of " + file.getFileName();
			for (String suffix : ResultsPublisher.SUFFIXES)
				guard.claim(output.resolve(base + suffix), suffix.substring(1) + of);
			guard.claim(CompletionRecord.path(output, base), "completion record" + of);
		}
		for (String r : names.renamed())
			log.accept("same name as another image, outputs renamed: " + r);
		FileProblems.attempt("create the output folder", output, () -> Files.createDirectories(output));
		AtomicFiles.removeLeftovers(output);
		int done = 0;
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			cancellation.check();
			Path file = images.get(i);
			String base = names.of(file);
			progress.progress(i / (double) images.size(), base);
			try {
				if (segment(file, output, base)) done++;
			}
			catch (UnsupportedImageException e) {
				failures.add(e.getMessage());
				log.accept(file.getFileName() + ": failed: " + e.getMessage());
			}
		}
		progress.progress(1, "");
		if (!failures.isEmpty()) throw new SamException(failures.size() + " of " + images.size() + " images failed (" +
			done + " segmented): " + String.join(" ", failures));
		return done;
	}

	/** Segments one image and writes its outputs; false when it has no prompts (ROI file mode). */
	private boolean segment(Path file, Path output, String base) throws SamException {
		ImagePlus imp = ImageFiles.open(file);
		ResultsPublisher.Builder results = new ResultsPublisher.Builder(imp, 1);
		Path roiFile = roiFile(file);
		if (roiFile == null) {
			log.accept(file.getFileName() + ": skipped, no " + OutputNames.stem(file) + ".zip or " + OutputNames
				.stem(file) + ".roi with prompts");
			return false;
		}
		List<Roi> rois;
		try {
			rois = RoiFiles.read(roiFile);
		}
		catch (IOException e) {
			throw new UnsupportedImageException(FileProblems.describe("read the ROI set", roiFile, e));
		}
		List<ObjectPrompt> objects = RoiPrompts.read(imp, rois, areaMode, false);
		results.add(new PromptedSegmentation(predictor).channels(channels).normalization(normalization)
			.selection(selection).cancellation(cancellation).run(imp, objects));
		List<Path> written = new ArrayList<>();
		for (String suffix : ResultsPublisher.SUFFIXES)
			written.add(output.resolve(base + suffix));
		FileProblems.attempt("write the results of " + file.getFileName() + " to", output, () -> {
			results.build().writeFiles(output, base);
			CompletionRecord.write(output, base, file, written);
		});
		log.accept(file.getFileName() + ": " + results.count() + " mask(s)");
		return true;
	}

	static Path roiFile(Path image) {
		String base = OutputNames.stem(image);
		for (String ext : new String[] { ".zip", ".roi" }) {
			Path p = image.resolveSibling(base + ext);
			if (Files.isRegularFile(p)) return p;
		}
		return null;
	}
}
