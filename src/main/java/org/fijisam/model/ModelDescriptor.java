package org.fijisam.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;

import org.fijisam.core.MaskTokens;
import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.Preprocessing;

/**
 * The contents of a model folder's {@code sam.json} (see docs/model-descriptor.md): family,
 * preprocessing constants, shapes, and which ONNX file and tensor names play which role.
 */
public final class ModelDescriptor {

	public static final String FILE_NAME = "sam.json";

	/** One ONNX file and the names of its tensors. */
	public static final class Encoder {
		public String file;
		public String input = "image";
		public String output = "image_embeddings";
		/**
		 * Role -> tensor name, for encoders with several outputs (SAM 2: "image_embeddings",
		 * "high_res_feats_0", "high_res_feats_1"); the "image_embeddings" role defaults to {@link #output}.
		 */
		public Map<String, String> outputs = new LinkedHashMap<>();

		/** Tensor name for an output role, defaulting to the role itself ({@link #output} for the embedding). */
		public String output(String role) {
			if (outputs != null && outputs.containsKey(role)) return outputs.get(role);
			return "image_embeddings".equals(role) ? output : role;
		}
	}

	/** A decoder ONNX file, with or without a batch axis. */
	public static final class Decoder {
		public String file;
		@SerializedName("batch_axis") public boolean batchAxis;
		@SerializedName("orig_im_size") public boolean origImSize;
		@SerializedName("mask_outputs") public int maskOutputs = MaskTokens.COUNT;
		/** SAM 2: true (the default) when the graph appends the padding point itself. */
		@SerializedName("pads_points") public Boolean padsPoints;
		/** False for a graph without mask_input / has_mask_input (batch_decoder_no_mask); default true. */
		@SerializedName("mask_inputs") public Boolean maskInputs;
		/**
		 * batch_decoder_no_mask only: a graph from image_embeddings to the image's share of the
		 * decoder's work, run once per image; each of its outputs is an input of this decoder under
		 * the same name, in place of image_embeddings. Null: the decoder takes image_embeddings.
		 */
		@SerializedName("image_side") public String imageSide;
		/**
		 * The order of the low-res masks' values (decoders with orig_im_size false and the official
		 * prompt interface). Absent or "image": row-major. {@value ModelDescriptor#BLOCKS}: per
		 * embedding pixel (row-major), its 16 values in the x4 upscaling's sub-pixel order (ky1,
		 * kx1, ky2, kx2), the value of the pixel at row 4y + 2 ky1 + ky2, column 4x + 2 kx1 + kx2
		 * (converted SAM 1 mask-free and SAM 2.1 decoders: the graph skips the transpose and the
		 * plugin places the pixels as it reads them).
		 */
		@SerializedName("low_res_order") public String lowResOrder;

		/** Whether the low-res masks come in the upscaling's block order (low_res_order). */
		public boolean lowResInBlocks() {
			return BLOCKS.equals(lowResOrder);
		}
		/**
		 * The decoder's tensor interface: absent or "official" (point_coords, point_labels, mask_input,
		 * ...) or {@value ModelDescriptor#TRANSFORMERS_JS} (HF SamModel as optimum exports it for
		 * transformers.js: input_points, int64 input_labels, image_positional_embeddings; points only;
		 * for family sam2, HF Sam2Model's graph: input_points, input_labels, input_boxes, no mask input).
		 */
		@SerializedName("prompt_interface") public String promptInterface;
		public Map<String, String> inputs = new LinkedHashMap<>();

		/** Whether the graph has transformers.js' prompt interface (see {@link #promptInterface}). */
		public boolean transformersJs() {
			return TRANSFORMERS_JS.equals(promptInterface);
		}

		/** Whether the graph takes a mask prompt (mask_input and has_mask_input). */
		public boolean takesMasks() {
			return maskInputs == null || maskInputs;
		}
		public Map<String, String> outputs = new LinkedHashMap<>();

		/** Tensor name for a role (e.g. "point_coords"), defaulting to the role itself. */
		public String input(String role) {
			return inputs != null && inputs.containsKey(role) ? inputs.get(role) : role;
		}

		public String output(String role) {
			return outputs != null && outputs.containsKey(role) ? outputs.get(role) : role;
		}
	}

	/**
	 * What the model expects of its input (docs/model-descriptor.md); either key may be left out,
	 * and the whole section too: family sam1 defaults to the official SAM 1 pipeline.
	 */
	public static final class InputPreprocessing {
		/** "as_is" (default) or "minmax": what "auto" normalisation does with 8-bit and RGB data. */
		public String intensity;
		/** "pil" (default for sam1), "bilinear" or "antialiased" (default for sam2). */
		public String resize;
		/** "longest_side" (default for sam1) or "stretch" (default for sam2). */
		public String fit;
	}

	/** SAM 2's single-mask rule ("dynamic multimask via stability"), see MaskTokens.StabilityFallback. */
	public static final class SingleMask {
		@SerializedName("dynamic_multimask_via_stability") public Boolean dynamicMultimaskViaStability;
		@SerializedName("stability_delta") public Float stabilityDelta;
		@SerializedName("stability_thresh") public Float stabilityThresh;
	}

	/**
	 * An instance decoder (automatic instance segmentation, mode "ais"): its ONNX file, tensor
	 * names by role (inputs image_embeddings and image, the image only where the graph reads it;
	 * outputs foreground, center_distance, boundary_distance) and the watershed's thresholds the
	 * model was made for.
	 */
	public static final class InstanceDecoderEntry {
		public String file;
		public Map<String, String> inputs = new LinkedHashMap<>();
		public Map<String, String> outputs = new LinkedHashMap<>();
		@SerializedName("foreground_threshold") public Double foregroundThreshold;
		@SerializedName("center_distance_threshold") public Double centerDistanceThreshold;
		@SerializedName("boundary_distance_threshold") public Double boundaryDistanceThreshold;

		public String input(String role) {
			return inputs != null && inputs.containsKey(role) ? inputs.get(role) : role;
		}

		public String output(String role) {
			return outputs != null && outputs.containsKey(role) ? outputs.get(role) : role;
		}

		/** The watershed's thresholds: the descriptor's, micro-sam's 0.5 where it says nothing. */
		public org.fijisam.core.ais.AisParameters parameters() {
			org.fijisam.core.ais.AisParameters d = org.fijisam.core.ais.AisParameters.defaults();
			return new org.fijisam.core.ais.AisParameters(foregroundThreshold != null ? foregroundThreshold : d
				.foregroundThreshold(), centerDistanceThreshold != null ? centerDistanceThreshold : d
					.centerDistanceThreshold(), boundaryDistanceThreshold != null ? boundaryDistanceThreshold : d
						.boundaryDistanceThreshold());
		}
	}

	/** The family whose defaults differ from SAM 1's (preprocessing, prompt encoding, single mask). */
	public static final String SAM2 = "sam2";

	/** A decoder's prompt_interface for HF SamModel's graph as transformers.js runs it. */
	public static final String TRANSFORMERS_JS = "transformers.js";
	/** low_res_order of a decoder whose masks come in the x4 upscaling's sub-pixel block order. */
	public static final String BLOCKS = "blocks";

	public int format = 1;
	public String name;
	public String family;
	/**
	 * The segment-everything preset a run with no --preset uses (optional): the family's
	 * official defaults where the descriptor says nothing (sam2_default for SAM 2, whose
	 * generator keeps masks down to predicted IoU 0.8; sam_default otherwise).
	 */
	@SerializedName("automatic_preset") public String automaticPreset;
	/**
	 * The export's tensor interface when sam.json was written by recognising a ready export
	 * (ExportLayouts), e.g. "official-sam1"; absent in hand-written descriptors.
	 */
	public String layout;
	@SerializedName("input_size") public int inputSize;
	@SerializedName("pixel_mean") public float[] pixelMean;
	@SerializedName("pixel_std") public float[] pixelStd;
	@SerializedName("embedding_shape") public int[] embeddingShape;
	@SerializedName("low_res_size") public int lowResSize;
	/** SAM 2: the shapes (C, H, W) of the high-resolution feature maps high_res_feats_0 and _1. */
	@SerializedName("high_res_shapes") public int[][] highResShapes;
	/** SAM 2: the single-mask rule; absent means the official one (delta 0.05, threshold 0.98). */
	@SerializedName("single_mask") public SingleMask singleMask;
	/** SAM 2: a fed-back mask's logits are clamped to +- this (official: 32). */
	@SerializedName("mask_input_clamp") public Float maskInputClamp;
	/** SAM 2: masks blanked where the object score is &lt;= 0 (the video path); the image predictor does not. */
	@SerializedName("object_score_gating") public Boolean objectScoreGating;
	public Encoder encoder;
	public Decoder decoder;
	@SerializedName("batch_decoder") public Decoder batchDecoder;
	/**
	 * Optional: a batch decoder for prompts without a mask input (segment everything, plain
	 * clicks). Without the mask path every prompt shares the image side of the first transformer
	 * layer, which the graph then computes once per batch; the answers are those of
	 * batch_decoder (checked in ConvertedSam1FidelityTest). Used for a run only when no prompt
	 * in it has a mask.
	 */
	@SerializedName("batch_decoder_no_mask") public Decoder batchDecoderNoMask;
	/**
	 * Output for a lone point: "best_score" (SAM's rule, the default) or "single" (the
	 * single-mask token, as with SAM's multimask_output=False), for models whose IoU head ranks
	 * the ambiguity masks poorly.
	 */
	@SerializedName("lone_point_output") public String lonePointOutput;
	public InputPreprocessing preprocessing;
	@SerializedName("instance_decoder") public InstanceDecoderEntry instanceDecoder;
	/** The automatic mode a run with mode auto uses: "ais" when there is an instance decoder, else "amg". */
	@SerializedName("automatic_mode") public String automaticMode;
	public Map<String, String> sha256 = Collections.emptyMap();

	/** Parses and checks a descriptor; {@code where} names its origin in messages. */
	public static ModelDescriptor parse(String json, String where) throws ModelException {
		ModelDescriptor d;
		try {
			d = new Gson().fromJson(json, ModelDescriptor.class);
		}
		catch (JsonParseException e) {
			throw new ModelException(where + " is not valid JSON (" + e.getMessage() +
				"). Fix it or re-export the model.", e);
		}
		if (d == null) throw new ModelException(where + " is empty.");
		d.check(where);
		return d;
	}

	private void check(String where) throws ModelException {
		if (format != 1) throw new ModelException(where + " has format " + format +
			"; this plugin reads format 1. Update the plugin.");
		// The family is checked by the loader registry (Models), which knows the families there are.
		require(inputSize > 0, where, "input_size must be a positive number (1024 for SAM).");
		require(automaticPreset == null || org.fijisam.core.amg.AmgPresets.names().contains(automaticPreset), where,
			"automatic_preset must be one of " + org.fijisam.core.amg.AmgPresets.names() + ", not \"" + automaticPreset +
				"\".");
		require(pixelMean != null && pixelMean.length == 3, where, "pixel_mean needs 3 values.");
		require(pixelStd != null && pixelStd.length == 3, where, "pixel_std needs 3 values.");
		require(embeddingShape != null && embeddingShape.length == 3, where,
			"embedding_shape needs 3 values (C, H, W), e.g. [256, 64, 64].");
		require(lowResSize > 0, where, "low_res_size must be positive (256 for SAM).");
		require(encoder != null && encoder.file != null, where, "the 'encoder' section with its 'file' is missing.");
		require(decoder != null || batchDecoder != null, where,
			"no decoder: add a 'decoder' or 'batch_decoder' section.");
		if (decoder != null) checkDecoder(decoder, where, "decoder");
		if (batchDecoder != null) checkDecoder(batchDecoder, where, "batch_decoder");
		if (batchDecoderNoMask != null) {
			checkDecoder(batchDecoderNoMask, where, "batch_decoder_no_mask");
			require(batchDecoder != null, where, "batch_decoder_no_mask needs a batch_decoder (for prompts with a mask).");
			require(batchDecoderNoMask.batchAxis && !batchDecoderNoMask.origImSize && !batchDecoderNoMask.takesMasks(),
				where, "batch_decoder_no_mask must have batch_axis true, orig_im_size false and mask_inputs false.");
		}
		for (Decoder x : new Decoder[] { decoder, batchDecoder }) {
			require(x == null || x.takesMasks(), where, "only batch_decoder_no_mask may set mask_inputs false: the " +
				"other decoders also answer prompts with a mask.");
			require(x == null || x.imageSide == null, where, "only batch_decoder_no_mask may have an image_side: " +
				"with a mask prompt the decoder's image side depends on the prompt.");
		}
		for (Decoder x : new Decoder[] { decoder, batchDecoder, batchDecoderNoMask }) {
			if (x == null || x.lowResOrder == null) continue;
			require(!x.origImSize && !x.transformersJs(), where, "low_res_order is only for decoders that return " +
				"the low-res masks alone (orig_im_size false, the official prompt interface).");
			require(x.lowResInBlocks() || "image".equals(x.lowResOrder), where, "low_res_order must be \"image\" or \"" +
				BLOCKS + "\", not \"" + x.lowResOrder + "\".");
			require(!x.lowResInBlocks() || lowResSize == 4 * embeddingShape[1] && embeddingShape[1] == embeddingShape[2],
				where, "low_res_order \"" + BLOCKS + "\" needs low_res_size 4 x the embedding's side (" + 4 *
					embeddingShape[1] + "), not " + lowResSize + ".");
		}
		for (Decoder x : new Decoder[] { decoder, batchDecoder, batchDecoderNoMask })
			require(x == null || x.promptInterface == null || "official".equals(x.promptInterface) || x.transformersJs(),
				where, "prompt_interface must be \"official\" or \"" + TRANSFORMERS_JS + "\", not \"" +
					(x == null ? "" : x.promptInterface) + "\".");
		if (decoder != null && decoder.transformersJs()) require(batchDecoder == null && batchDecoderNoMask == null &&
			decoder.maskOutputs == 3 && !decoder.origImSize, where, "a decoder with prompt_interface \"" +
				TRANSFORMERS_JS + "\" is the model's only decoder, with mask_outputs 3 (tokens 1..3) and no " +
				"orig_im_size.");
		require(batchDecoder == null || !batchDecoder.transformersJs(), where, "prompt_interface \"" +
			TRANSFORMERS_JS + "\" belongs in 'decoder' (its point-batch axis is said by batch_axis).");
		if (sha256 == null) sha256 = Collections.emptyMap();
		if (instanceDecoder != null) {
			require(instanceDecoder.file != null, where, "'instance_decoder' has no 'file'.");
			try {
				instanceDecoder.parameters();
			}
			catch (IllegalArgumentException e) {
				throw new ModelException(where + ": instance_decoder: " + e.getMessage());
			}
		}
		require(automaticMode == null || "amg".equals(automaticMode) || "ais".equals(automaticMode) && instanceDecoder !=
			null, where, "automatic_mode must be \"amg\", or \"ais\" with an instance_decoder section, not \"" +
				automaticMode + "\".");
		require(MaskTokens.isLonePointOutput(lonePointOutput), where,
			"lone_point_output must be " + MaskTokens.LONE_POINT_VALUES + ", not \"" + lonePointOutput + "\".");
		if (preprocessing != null) {
			require(preprocessing.intensity == null || Preprocessing.intensity(preprocessing.intensity) != null, where,
				"preprocessing.intensity must be \"as_is\" or \"minmax\", not \"" + preprocessing.intensity + "\".");
			require(preprocessing.resize == null || Preprocessing.resize(preprocessing.resize) != null, where,
				"preprocessing.resize must be \"pil\", \"bilinear\" or \"antialiased\", not \"" + preprocessing.resize +
					"\".");
			require(preprocessing.fit == null || Preprocessing.fit(preprocessing.fit) != null, where,
				"preprocessing.fit must be \"longest_side\" or \"stretch\", not \"" + preprocessing.fit + "\".");
		}
		if (highResShapes != null) {
			boolean ok = highResShapes.length == 2;
			for (int i = 0; ok && i < 2; i++)
				ok = highResShapes[i] != null && highResShapes[i].length == 3 && highResShapes[i][0] > 0 &&
					highResShapes[i][1] > 0 && highResShapes[i][2] > 0;
			require(ok, where, "high_res_shapes needs two shapes (C, H, W), e.g. [[32, 256, 256], [64, 128, 128]].");
		}
		require(maskInputClamp == null || maskInputClamp > 0, where, "mask_input_clamp must be positive (32 for SAM 2).");
		if (singleMask != null) {
			require(singleMask.stabilityDelta == null || singleMask.stabilityDelta >= 0, where,
				"single_mask.stability_delta must be >= 0 (0.05 for SAM 2).");
			require(singleMask.stabilityThresh == null || singleMask.stabilityThresh >= 0 && singleMask.stabilityThresh <= 1,
				where, "single_mask.stability_thresh must be in 0..1 (0.98 for SAM 2).");
		}
	}

	/**
	 * The input preprocessing the model expects: the descriptor's, and where it says nothing the
	 * official pipeline of its family (SAM 2's for family sam2, SAM 1's otherwise).
	 */
	public Preprocessing inputPreprocessing() {
		Preprocessing p = SAM2.equals(family) ? Preprocessing.SAM2 : Preprocessing.SAM1;
		if (preprocessing == null) return p;
		return new Preprocessing(
			preprocessing.intensity != null ? Preprocessing.intensity(preprocessing.intensity) : p.intensity(),
			preprocessing.resize != null ? Preprocessing.resize(preprocessing.resize) : p.resize(),
			preprocessing.fit != null ? Preprocessing.fit(preprocessing.fit) : p.fit());
	}

	private static void checkDecoder(Decoder d, String where, String section) throws ModelException {
		require(d.file != null, where, "'" + section + "' has no 'file'.");
		require(MaskTokens.isValidCount(d.maskOutputs), where,
			"'" + section + "'.mask_outputs must be " + MaskTokens.VALID_COUNTS + ".");
	}

	private static void require(boolean ok, String where, String what) throws ModelException {
		if (!ok) throw new ModelException(where + ": " + what);
	}

	/** The decoder used for prompts: the batch decoder when there is one. */
	public Decoder preferredDecoder(boolean allowBatch) {
		return allowBatch && batchDecoder != null ? batchDecoder : decoder != null ? decoder : batchDecoder;
	}

	/** The automatic mode a run uses when the user names none. */
	public String defaultAutomaticMode() {
		if (automaticMode != null) return automaticMode;
		return instanceDecoder != null ? "ais" : "amg";
	}

	/** The preset automatic segmentation uses when the user names none. */
	public String defaultAutomaticPreset() {
		if (automaticPreset != null) return automaticPreset;
		return familyAutomaticPreset();
	}

	/** The defaults of the family's official automatic mask generator. */
	public String familyAutomaticPreset() {
		return SAM2.equals(family) ? "sam2_default" : "sam_default";
	}

	public ModelSpec toSpec(int maskOutputs) {
		ModelSpec spec = new ModelSpec(name != null ? name : "unnamed", inputSize, pixelMean, pixelStd,
			embeddingShape, lowResSize, maskOutputs).withPreprocessing(inputPreprocessing());
		return spec.withLonePointSelection(MaskTokens.lonePointSelection(lonePointOutput, maskOutputs))
			.withAutomaticPreset(defaultAutomaticPreset()).withFamilyPreset(familyAutomaticPreset());
	}
}
