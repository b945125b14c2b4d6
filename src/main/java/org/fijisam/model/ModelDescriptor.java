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
	}

	/** A decoder ONNX file, with or without a batch axis. */
	public static final class Decoder {
		public String file;
		@SerializedName("batch_axis") public boolean batchAxis;
		@SerializedName("orig_im_size") public boolean origImSize;
		@SerializedName("mask_outputs") public int maskOutputs = MaskTokens.COUNT;
		public Map<String, String> inputs = new LinkedHashMap<>();
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
		/** "pil" (default) or "bilinear". */
		public String resize;
	}

	public int format = 1;
	public String name;
	public String family;
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
	public Encoder encoder;
	public Decoder decoder;
	@SerializedName("batch_decoder") public Decoder batchDecoder;
	/**
	 * Output for a lone point: "best_score" (SAM's rule, the default) or "single" (the
	 * single-mask token, as with SAM's multimask_output=False), for models whose IoU head ranks
	 * the ambiguity masks poorly.
	 */
	@SerializedName("lone_point_output") public String lonePointOutput;
	public InputPreprocessing preprocessing;
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
		if (sha256 == null) sha256 = Collections.emptyMap();
		require(MaskTokens.isLonePointOutput(lonePointOutput), where,
			"lone_point_output must be " + MaskTokens.LONE_POINT_VALUES + ", not \"" + lonePointOutput + "\".");
		if (preprocessing != null) {
			require(preprocessing.intensity == null || Preprocessing.intensity(preprocessing.intensity) != null, where,
				"preprocessing.intensity must be \"as_is\" or \"minmax\", not \"" + preprocessing.intensity + "\".");
			require(preprocessing.resize == null || Preprocessing.resize(preprocessing.resize) != null, where,
				"preprocessing.resize must be \"pil\" or \"bilinear\", not \"" + preprocessing.resize + "\".");
		}
	}

	/** The input preprocessing the model expects: the descriptor's, the official SAM 1 one where it says nothing. */
	public Preprocessing inputPreprocessing() {
		Preprocessing p = Preprocessing.SAM1;
		if (preprocessing == null) return p;
		return new Preprocessing(
			preprocessing.intensity != null ? Preprocessing.intensity(preprocessing.intensity) : p.intensity(),
			preprocessing.resize != null ? Preprocessing.resize(preprocessing.resize) : p.resize());
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

	public ModelSpec toSpec(int maskOutputs) {
		ModelSpec spec = new ModelSpec(name != null ? name : "unnamed", inputSize, pixelMean, pixelStd,
			embeddingShape, lowResSize, maskOutputs).withPreprocessing(inputPreprocessing());
		return spec.withLonePointSelection(MaskTokens.lonePointSelection(lonePointOutput, maskOutputs));
	}
}
