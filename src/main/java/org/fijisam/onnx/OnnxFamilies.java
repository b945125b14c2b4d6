package org.fijisam.onnx;

import java.util.Arrays;
import java.util.List;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamModel;
import org.fijisam.model.GraphReader;
import org.fijisam.model.ModelFamily;
import org.fijisam.model.ModelSource;

/**
 * The model families that run in ONNX Runtime, as {@link org.fijisam.model.Models} registers
 * them. A new family is added to {@link #all()}; nothing outside this package changes.
 */
public final class OnnxFamilies {

	/** SAM 1: one image-embedding tensor, SAM's prompt encoder and mask decoder. */
	static final ModelFamily SAM1 = new ModelFamily() {
		@Override
		public String name() { return "sam1"; }

		@Override
		public String covers() {
			return "SAM ViT-B/L/H, MobileSAM, micro-sam, SlimSAM and our own; transformers.js exports (points only)";
		}

		@Override
		public SamModel load(ModelSource source, ExecutionOptions options) throws ModelException {
			return OnnxSamModel.load(source, options);
		}
	};

	private OnnxFamilies() {}

	/** Reads ONNX graphs' inputs and outputs, for recognising exports that come without sam.json. */
	public static GraphReader graphReader() {
		return new OnnxGraphs();
	}

	public static List<ModelFamily> all() {
		return Arrays.asList(SAM1, OnnxSam2Model.FAMILY);
	}
}
