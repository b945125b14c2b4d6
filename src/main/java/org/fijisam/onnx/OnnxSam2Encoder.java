package org.fijisam.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * A SAM 2 image encoder in ONNX Runtime. Its three outputs are what the official image
 * predictor keeps per image (the stride-16 embedding with no_mem_embed added, and the stride-4
 * and stride-8 feature maps after the decoder's conv_s0/conv_s1), and they become the three
 * named tensors of the embedding that {@link OnnxSam2Decoder} reads back by these names.
 */
final class OnnxSam2Encoder {

	/** Embedding tensor names (and descriptor roles), in the order the encoder returns them. */
	static final String IMAGE_EMBED = "image_embed";
	static final String HIGH_RES_0 = "high_res_feats_0";
	static final String HIGH_RES_1 = "high_res_feats_1";

	/** The descriptor role of the image embedding, shared with SAM 1's descriptor layout. */
	static final String IMAGE_EMBED_ROLE = "image_embeddings";

	private OnnxSam2Encoder() {}

	/**
	 * @param outputs the graph's output names for image_embed, high_res_feats_0 and _1
	 * @param shapes their (C, H, W), as the descriptor promises them
	 */
	static OnnxImageEncoder create(OrtEnvironment env, OrtSession session, String input, int inputSize,
		String[] outputs, int[][] shapes)
	{
		return new OnnxImageEncoder(env, session, input, inputSize, new String[] { IMAGE_EMBED, HIGH_RES_0,
			HIGH_RES_1 }, outputs, shapes);
	}
}
