package org.fijisam.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fijisam.checkpoint.Checkpoint;
import org.fijisam.checkpoint.CheckpointException;
import org.fijisam.core.Cancellation;
import org.fijisam.core.CancelledException;
import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;
import org.fijisam.models.CheckpointConverter;

/**
 * Plugs {@link CheckpointConversion} into model installation (found by ServiceLoader through
 * META-INF/services): a downloaded or imported checkpoint whose family and size have a graph
 * template in this jar is installed as a runnable model folder.
 */
public final class TemplateConverter implements CheckpointConverter {

	@Override
	public boolean handles(String family, String size) {
		// An imported file may come without a size: nothing to convert it with then.
		return family != null && size != null && ConversionTemplate.exists(templateFamily(family), size);
	}

	@Override
	public void convert(Request request, ProgressListener progress) throws SamException {
		// The installer's folder already holds the checkpoint; the conversion writes a folder of its
		// own (it never writes into an existing one), whose files then join the model folder. The
		// model folder itself is moved into the store only after this returns.
		Path scratch = request.modelFolder.resolve("converted");
		// micro-sam's instance decoder comes as a file of its own ("decoder"): it becomes the
		// model's instance_decoder.onnx when this jar has its template.
		try {
			CheckpointConversion.convert(request.files.get("checkpoint"), request.files.get("decoder"),
				templateFamily(request.family), request.size, scratch, progress, Cancellation.NEVER);
		}
		catch (CancelledException e) {
			throw new AssertionError("never cancelled", e);
		}
		try {
			List<Path> files;
			try (Stream<Path> s = Files.list(scratch)) {
				files = s.collect(Collectors.toList());
			}
			for (Path f : files)
				Files.move(f, request.modelFolder.resolve(f.getFileName().toString()));
			Files.delete(scratch);
		}
		catch (IOException e) {
			throw new ConversionException("Cannot place the converted model in " + request.modelFolder + ": " + e
				.getMessage(), e);
		}
	}

	/**
	 * The official size the tensors match (named as this jar's template is, else as the catalog
	 * names it: SAM 2's "hiera_tiny"); a checkpoint that is another family is refused here, before
	 * it is copied, with what it is.
	 */
	@Override
	public String guessSize(String family, Path checkpoint) throws SamException {
		FamilyGuess g;
		try (Checkpoint c = Checkpoint.open(checkpoint)) {
			g = FamilyGuess.of(CheckpointContents.of(c.root()).tensors);
		}
		catch (CheckpointException | IOException e) {
			return null; // not for the guess to report: the installer's own check of the file does
		}
		String f = templateFamily(family);
		if (g.family != null && !g.family.equals(f)) throw new ConversionException("The checkpoint " + checkpoint
			.getFileName() + " looks like " + g.describe() + " but family " + family + " was declared. Import it as " +
			"family " + (g.tinyVit ? "mobile_sam" : g.family) + ".");
		if (g.size == null || ConversionTemplate.exists(f, g.size)) return g.size;
		return f.equals("sam2") ? "hiera_" + g.size : g.size;
	}

	/** MobileSAM and micro-sam's vit_t are SAM 1 models with a TinyViT encoder: one template family. */
	static String templateFamily(String family) {
		return "mobile_sam".equals(family) ? "sam1" : family;
	}
}
