package org.fijisam.ij;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.ImagePlus;
import ij.gui.Roi;

import org.fijisam.core.Cancellation;
import org.fijisam.core.ChannelMapping;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.UnsupportedImageException;

/**
 * Batch Segment Folder, headless-safe (no windows, no ROI Manager): every image of a folder
 * (TIFF, PNG, JPEG) is segmented, with prompts from the ROI set next to it (NAME.zip or
 * NAME.roi) or automatically, and NAME-labels.tif, NAME-results.csv and NAME-rois.zip are
 * written to the output folder.
 */
public final class FolderBatch {

	/** Where the prompts come from. */
	public enum Mode {
		ROI_FILES, EVERYTHING;

		public static Mode parse(String text) {
			for (Mode m : values())
				if (m.name().equalsIgnoreCase(text.trim())) return m;
			throw new IllegalArgumentException("Unknown mode '" + text + "': use roi_files or everything.");
		}
	}

	private final SamPredictor predictor;
	private Mode mode = Mode.ROI_FILES;
	private RoiPrompts.AreaMode areaMode = RoiPrompts.AreaMode.BOX;
	private MaskSelection selection = MaskSelection.AUTO;
	private ChannelMapping channels;
	private Normalization normalization = Normalization.auto();
	private AutomaticSegmentation automatic = AutomaticSegmentation.forParameters(new AutomaticParameters());
	private ProgressListener progress = ProgressListener.NONE;
	private Cancellation cancellation = Cancellation.NEVER;
	private PrintStream log = System.out;

	public FolderBatch(SamPredictor predictor) {
		this.predictor = predictor;
	}

	public FolderBatch mode(Mode m) { mode = m; return this; }

	public FolderBatch areaMode(RoiPrompts.AreaMode a) { areaMode = a; return this; }

	public FolderBatch selection(MaskSelection s) { selection = s; return this; }

	public FolderBatch channels(ChannelMapping c) { channels = c; return this; }

	public FolderBatch normalization(Normalization n) { normalization = n; return this; }

	public FolderBatch automatic(AutomaticSegmentation a) { automatic = a; return this; }

	public FolderBatch progress(ProgressListener p) { progress = p; return this; }

	public FolderBatch cancellation(Cancellation c) { cancellation = c; return this; }

	public FolderBatch log(PrintStream p) { log = p; return this; }

	/** The images a run would process, sorted by name. */
	public static List<Path> images(Path folder) throws UnsupportedImageException {
		if (!Files.isDirectory(folder)) throw new UnsupportedImageException("The input folder " + folder +
			" does not exist.");
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(
				".*\\.(tif|tiff|png|jpg|jpeg)$") && !p.getFileName().toString().contains("-labels.")).sorted()
				.collect(Collectors.toList());
		}
		catch (IOException e) {
			throw new UnsupportedImageException("Cannot list " + folder + ": " + e.getMessage());
		}
	}

	/** Runs over the folder; returns the number of images segmented. */
	public int run(Path input, Path output) throws SamException, IOException {
		List<Path> images = images(input);
		if (images.isEmpty()) throw new UnsupportedImageException("The input folder " + input +
			" holds no TIFF, PNG or JPEG images.");
		Files.createDirectories(output);
		int done = 0;
		for (int i = 0; i < images.size(); i++) {
			cancellation.check();
			Path file = images.get(i);
			String base = baseName(file);
			progress.progress(i / (double) images.size(), base);
			ImagePlus imp = ImageFiles.open(file);
			ResultsPublisher.Builder results = new ResultsPublisher.Builder(imp, 1);
			if (mode == Mode.ROI_FILES) {
				Path roiFile = roiFile(file);
				if (roiFile == null) {
					log.println(base + ": skipped, no " + base + ".zip or " + base + ".roi with prompts");
					continue;
				}
				List<Roi> rois = RoiFiles.read(roiFile);
				List<ObjectPrompt> objects = RoiPrompts.read(imp, rois, areaMode, false);
				results.add(new PromptedSegmentation(predictor).channels(channels).normalization(normalization)
					.selection(selection).cancellation(cancellation).run(imp, objects));
			}
			else {
				// plane by plane into the outputs: a long stack's full-size masks are never all held
				for (int t = 1; t <= imp.getNFrames(); t++)
					for (int z = 1; z <= imp.getNSlices(); z++)
						results.add(automatic.segmentPlane(predictor, imp, z, t, ProgressListener.NONE));
			}
			results.build().writeFiles(output, base);
			log.println(base + ": " + results.count() + " mask(s)");
			done++;
		}
		progress.progress(1, "");
		return done;
	}

	static String baseName(Path file) {
		String n = file.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	static Path roiFile(Path image) {
		String base = baseName(image);
		for (String ext : new String[] { ".zip", ".roi" }) {
			Path p = image.resolveSibling(base + ext);
			if (Files.isRegularFile(p)) return p;
		}
		return null;
	}
}
