package org.fijisam.onnx;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.ImagePlusAdapter;

/**
 * A fixture's PNG images as the CLI and Fiji read them with no flags (the model's own
 * normalisation), each embedded once by the model under test.
 */
final class FixtureImages {

	private final SamModel model;
	private final Path folder;
	final SamPredictor predictor;
	private final Map<String, ImageEmbedding> embeddings = new HashMap<>();

	/** @param folder where NAME.png lie */
	FixtureImages(SamModel model, Path folder) {
		this.model = model;
		this.folder = folder;
		this.predictor = new SamPredictor(model);
	}

	SamImage image(String name) throws Exception {
		return ImagePlusAdapter.toSamImage(ImageFiles.open(folder.resolve(name + ".png")), 1, 1, null,
			Normalization.auto().forModel(model.spec()));
	}

	ImageEmbedding embedding(String name) throws Exception {
		ImageEmbedding e = embeddings.get(name);
		if (e == null) embeddings.put(name, e = predictor.embed(image(name)));
		return e;
	}

	Segmentation segment(String name, Prompt prompt, MaskSelection how) throws Exception {
		return predictor.segment(embedding(name), prompt, how);
	}
}
