package org.fijisam.convert;

import java.util.Map;

import org.fijisam.checkpoint.CheckpointTensor;

/**
 * micro-sam's instance decoder, the "decoder_state" of its AIS checkpoints: the convolutional
 * half of a UNETR (torch-em) that turns the image embedding into foreground, centre-distance and
 * boundary-distance maps. It reads the embedding only, so one template serves every encoder
 * size; templates differ by upsampler (bilinear + 1x1 conv, or transposed conv, told apart by the
 * names under decoder.samplers as micro-sam does) and by width.
 */
final class MicroSamDecoder {

	/** The templates' family: templates/microsam_decoder/SIZE (training/official_arch/templates.py). */
	static final String FAMILY = "microsam_decoder";

	private MicroSamDecoder() {}

	/**
	 * The template size for these tensors, e.g. "interpolate_256_64" (upsampler, embedding
	 * channels, first width), as training/official_arch/microsam_decoder.py names it; null when
	 * they are not a UNETR decoder.
	 */
	static String templateSize(Map<String, CheckpointTensor> decoder) {
		CheckpointTensor base = decoder.get("base.block.1.weight");
		if (base == null || base.shape().length != 4 || base.shape()[0] % 8 != 0) return null;
		boolean transposed = false;
		for (String k : decoder.keySet())
			transposed |= k.startsWith("decoder.samplers") && k.contains(".block.");
		return (transposed ? "transposed" : "interpolate") + "_" + base.shape()[1] + "_" + base.shape()[0] / 8;
	}

	/** The embedding channels the decoder reads. */
	static long embeddingChannels(Map<String, CheckpointTensor> decoder) {
		return decoder.get("base.block.1.weight").shape()[1];
	}
}
