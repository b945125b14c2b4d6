package org.fijisam.core;

import java.nio.FloatBuffer;

/**
 * An optional second decoder on the image embedding that says, for every pixel, whether it
 * belongs to an object and how far it is from its object's centre and boundary (micro-sam's
 * automatic instance segmentation, AIS). A seeded watershed on these maps gives every object
 * of a plane from one decoder run, instead of decoding a grid of point prompts.
 */
public interface InstanceDecoder {

	/**
	 * The maps of one image at the decoder's resolution, over the model's padded input frame.
	 *
	 * @param preprocessedImage the tensor the encoder was given for this embedding (the decoder
	 *        also looks at the pixels, for detail the embedding's coarse grid lost)
	 */
	InstanceMaps decode(ImageEmbedding embedding, FloatBuffer preprocessedImage) throws SamException;

	/** The watershed's thresholds the decoder was made for. */
	default org.fijisam.core.ais.AisParameters parameters() {
		return org.fijisam.core.ais.AisParameters.defaults();
	}
}
