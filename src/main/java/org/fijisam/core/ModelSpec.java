package org.fijisam.core;

import java.util.Arrays;

/**
 * What core needs to know about a SAM-family model: input size, normalisation constants,
 * embedding and low-resolution mask shapes. Built by the model loader from the descriptor.
 */
public final class ModelSpec {

	private final String name;
	private final int inputSize;
	private final float[] pixelMean;
	private final float[] pixelStd;
	private final int[] embeddingShape;
	private final int lowResSize;
	private final int maskOutputs;
	private final MaskSelection lonePointSelection;
	private final Preprocessing preprocessing;
	private final PromptEncoding promptEncoding;
	private final MaskTokens.StabilityFallback singleMaskFallback;
	private final String automaticPreset;
	private final String familyPreset;

	/** A spec with SAM's own rules: best-scored mask for a lone point, official SAM 1 preprocessing. */
	public ModelSpec(String name, int inputSize, float[] pixelMean, float[] pixelStd,
		int[] embeddingShape, int lowResSize, int maskOutputs)
	{
		this(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs, MaskSelection.BEST_SCORE,
			Preprocessing.SAM1, PromptEncoding.SAM1, null, "sam_default", "sam_default");
	}

	private ModelSpec(String name, int inputSize, float[] pixelMean, float[] pixelStd,
		int[] embeddingShape, int lowResSize, int maskOutputs, MaskSelection lonePointSelection,
		Preprocessing preprocessing, PromptEncoding promptEncoding, MaskTokens.StabilityFallback singleMaskFallback,
		String automaticPreset, String familyPreset)
	{
		if (inputSize <= 0) throw new IllegalArgumentException("input_size must be positive");
		if (pixelMean.length != 3 || pixelStd.length != 3) throw new IllegalArgumentException(
			"pixel_mean and pixel_std need 3 values");
		if (embeddingShape.length != 3) throw new IllegalArgumentException(
			"embedding_shape needs 3 values (C, H, W)");
		if (!MaskTokens.isValidCount(maskOutputs)) throw new IllegalArgumentException(
			"mask_outputs must be " + MaskTokens.VALID_COUNTS);
		this.name = name;
		this.inputSize = inputSize;
		this.pixelMean = pixelMean.clone();
		this.pixelStd = pixelStd.clone();
		this.embeddingShape = embeddingShape.clone();
		this.lowResSize = lowResSize;
		this.maskOutputs = maskOutputs;
		this.lonePointSelection = lonePointSelection;
		this.preprocessing = preprocessing;
		this.promptEncoding = promptEncoding;
		this.singleMaskFallback = singleMaskFallback;
		this.automaticPreset = automaticPreset;
		this.familyPreset = familyPreset;
	}

	public String name() { return name; }

	public int inputSize() { return inputSize; }

	public float[] pixelMean() { return pixelMean.clone(); }

	public float[] pixelStd() { return pixelStd.clone(); }

	public int[] embeddingShape() { return embeddingShape.clone(); }

	public int embeddingLength() {
		return embeddingShape[0] * embeddingShape[1] * embeddingShape[2];
	}

	public int lowResSize() { return lowResSize; }

	/** How many outputs the decoder returns per prompt; {@link MaskTokens} says which tokens they are. */
	public int maskOutputs() { return maskOutputs; }

	/**
	 * Which output {@link MaskSelection#AUTO} takes for a lone point (an ambiguous prompt):
	 * SAM's rule, the ambiguity mask with the best predicted IoU, unless the model's descriptor
	 * says its single-mask output serves better (SAM's {@code multimask_output=False}).
	 */
	public MaskSelection lonePointSelection() { return lonePointSelection; }

	/** This spec with another rule for lone points: BEST_SCORE (SAM's) or SINGLE. */
	public ModelSpec withLonePointSelection(MaskSelection selection) {
		MaskTokens.checkLonePointSelection(selection);
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs, selection,
			preprocessing, promptEncoding, singleMaskFallback, automaticPreset, familyPreset);
	}

	/** What the model expects of its input image (descriptor field "preprocessing"). */
	public Preprocessing preprocessing() { return preprocessing; }

	/** This spec with another input preprocessing. */
	public ModelSpec withPreprocessing(Preprocessing p) {
		if (p == null) throw new IllegalArgumentException("preprocessing is required");
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs,
			lonePointSelection, p, promptEncoding, singleMaskFallback, automaticPreset, familyPreset);
	}

	/** How the decoder takes a prompt's points and mask (SAM 1's unless the family says otherwise). */
	public PromptEncoding promptEncoding() { return promptEncoding; }

	/** This spec with another prompt encoding. */
	public ModelSpec withPromptEncoding(PromptEncoding e) {
		if (e == null) throw new IllegalArgumentException("prompt encoding is required");
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs,
			lonePointSelection, preprocessing, e, singleMaskFallback, automaticPreset, familyPreset);
	}

	/**
	 * SAM 2's rule for the single mask (token 0 replaced by the best ambiguity mask when unstable),
	 * or null: token 0 as it is (SAM 1). {@link MaskTokens} applies it.
	 */
	public MaskTokens.StabilityFallback singleMaskFallback() { return singleMaskFallback; }

	/** This spec with another single-mask rule (null: token 0 as it is). */
	public ModelSpec withSingleMaskFallback(MaskTokens.StabilityFallback f) {
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs,
			lonePointSelection, preprocessing, promptEncoding, f, automaticPreset, familyPreset);
	}

	/** The automatic-segmentation preset the model recommends (descriptor field automatic_preset). */
	public String automaticPreset() { return automaticPreset; }

	/**
	 * The preset of the official automatic mask generator of the model's family: sam2_default for
	 * SAM 2, sam_default otherwise. What a macro's old {@code preset=default} means ("the
	 * defaults", recorded when only SAM 1's existed), whatever the model recommends.
	 */
	public String familyPreset() { return familyPreset; }

	/** This spec with another family preset (see {@link #familyPreset}). */
	public ModelSpec withFamilyPreset(String preset) {
		if (preset == null) throw new IllegalArgumentException("a preset name is required");
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs,
			lonePointSelection, preprocessing, promptEncoding, singleMaskFallback, automaticPreset, preset);
	}

	/** This spec recommending another automatic-segmentation preset. */
	public ModelSpec withAutomaticPreset(String preset) {
		if (preset == null) throw new IllegalArgumentException("a preset name is required");
		return new ModelSpec(name, inputSize, pixelMean, pixelStd, embeddingShape, lowResSize, maskOutputs,
			lonePointSelection, preprocessing, promptEncoding, singleMaskFallback, preset, familyPreset);
	}

	@Override
	public String toString() {
		return name + " (input " + inputSize + ", embedding " + Arrays.toString(embeddingShape) +
			", low-res " + lowResSize + ")";
	}
}
