package org.fijisam.models;

import java.nio.file.Path;
import java.util.Map;

import org.fijisam.core.ProgressListener;
import org.fijisam.core.SamException;

/**
 * Turns a verified checkpoint into a model folder that {@code ModelSource.folder} loads: the
 * seam between installing (download, verify, place) and conversion (checkpoint to ONNX).
 *
 * <p>To plug one in, implement this and either list the class in
 * {@code META-INF/services/org.fijisam.models.CheckpointConverter} (found by ServiceLoader) or
 * call {@link CheckpointConverters#register}. The installer calls {@link #convert} after every
 * checkpoint file is in place and verified, with the model folder still outside the store (it
 * is moved in only when conversion returns), so a failed conversion never leaves a half-written
 * model. Families without a converter are installed as verified checkpoints, and said so.
 */
public interface CheckpointConverter {

	/** Whether this converter handles a family ("sam1", "mobile_sam", "sam2") and size ("vit_b", "hiera_tiny"...). */
	boolean handles(String family, String size);

	/**
	 * Writes sam.json and the ONNX files it names into {@code request.modelFolder}.
	 *
	 * @throws SamException with a message for the user when the checkpoint cannot be converted
	 */
	void convert(Request request, ProgressListener progress) throws SamException;

	/**
	 * The size of a checkpoint of this family, told from its tensors (an import given no size).
	 *
	 * @return null when this converter cannot tell (a custom configuration, another format)
	 * @throws SamException when the tensors say the checkpoint is of another family; the message
	 *           names the one it is
	 */
	default String guessSize(String family, Path checkpoint) throws SamException {
		return null;
	}

	/** What to convert and where to. */
	final class Request {
		/** The model's name in the store (e.g. "sam_vit_b"). */
		public final String name;
		public final String family;
		public final String size;
		/** The verified files by role: "checkpoint" always, "decoder" for micro-sam's instance decoder. */
		public final Map<String, Path> files;
		/** The folder to write sam.json and the ONNX files into (it exists and holds the checkpoint folder). */
		public final Path modelFolder;

		public Request(String name, String family, String size, Map<String, Path> files, Path modelFolder) {
			this.name = name;
			this.family = family;
			this.size = size;
			this.files = Map.copyOf(files);
			this.modelFolder = modelFolder;
		}
	}
}
