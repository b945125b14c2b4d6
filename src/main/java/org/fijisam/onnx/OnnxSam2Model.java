package org.fijisam.onnx;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.MaskTokens;
import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.PromptEncoding;
import org.fijisam.core.SamModel;
import org.fijisam.model.ModelDescriptor;
import org.fijisam.model.ModelFamily;
import org.fijisam.model.ModelSource;

/**
 * A SAM 2 / 2.1 image model in ONNX Runtime (family {@code sam2}): an encoder with three
 * outputs (image embedding and two high-resolution feature maps) and a decoder that takes them
 * all. What the official SAM2ImagePredictor does around the network is core's, driven by the
 * spec built here: stretched, antialiased preprocessing ({@link org.fijisam.core.Preprocessing#SAM2}),
 * box corners before the clicks and no padding point from the caller, mask input clamped,
 * single mask by stability ({@link MaskTokens.StabilityFallback}), and masks upsampled from
 * the low-resolution frame straight to the image. Loading validates every tensor. A decoder with
 * transformers.js' prompt interface (HF Sam2Model, onnx-community/sam2*-ONNX) is fed by
 * {@link TjsSam2Prompts}: points and boxes, no mask prompt.
 */
final class OnnxSam2Model implements SamModel {

	/** The family as {@link OnnxFamilies} registers it. */
	static final ModelFamily FAMILY = new ModelFamily() {
		@Override
		public String name() { return ModelDescriptor.SAM2; }

		@Override
		public String covers() { return "SAM 2 and SAM 2.1 image models (Hiera tiny/small/base+/large)"; }

		@Override
		public SamModel load(ModelSource source, ExecutionOptions options) throws ModelException {
			return OnnxSam2Model.load(source, options, true);
		}
	};

	/** Why a transformers.js SAM 2 model takes no mask prompt, and what to use instead. */
	static final String TJS_NO_MASK = "it is a transformers.js SAM 2 export (HF transformers' Sam2Model, " +
		"onnx-community/sam2*-ONNX), whose prompt decoder has no mask input (transformers.js feeds none). Give the " +
		"points again with the new click instead of refining, or, for mask refinement, use a SAM 2 model with the " +
		"official decoder interface: 'sam-cli models convert --family sam2' of the official SAM 2.1 checkpoint, or " +
		"samexporter's export_sam2.py.";

	private final ModelSpec spec;
	private final String id;
	private final OrtSession encoderSession;
	private final OrtSession decoderSession;
	private final OrtSession parallelDecoderSession;
	private final OnnxImageEncoder encoder;
	private final OnnxSam2Decoder decoder;
	private final String summary;
	/** The mask-free decoder's sessions (decoder, its single-threaded copy, image side); null where none. */
	private OrtSession[] maskFreeSessions = new OrtSession[0];

	private OnnxSam2Model(ModelSpec spec, String id, OrtSession encoderSession, OrtSession decoderSession,
		OrtSession parallelDecoderSession, OnnxImageEncoder encoder, OnnxSam2Decoder decoder, String summary)
	{
		this.spec = spec;
		this.id = id;
		this.encoderSession = encoderSession;
		this.decoderSession = decoderSession;
		this.parallelDecoderSession = parallelDecoderSession;
		this.encoder = encoder;
		this.decoder = decoder;
		this.summary = summary;
	}

	/** @param allowBatch false forces the batch-1 decoder (used to compare both paths) */
	static OnnxSam2Model load(ModelSource source, ExecutionOptions options, boolean allowBatch) throws ModelException {
		ModelDescriptor d = source.descriptor();
		String where = source.describe() + "/" + ModelDescriptor.FILE_NAME;
		if (!ModelDescriptor.SAM2.equals(d.family)) throw new ModelException(source.describe() + " holds a '" +
			d.family + "' model, not sam2: load it with Models.load.");
		if (d.highResShapes == null) throw new ModelException(where + ": a sam2 model needs 'high_res_shapes', " +
			"the (C, H, W) of high_res_feats_0 and high_res_feats_1, e.g. [[32, 256, 256], [64, 128, 128]].");
		if (Boolean.TRUE.equals(d.objectScoreGating)) throw new ModelException(where + ": object_score_gating " +
			"true is not supported: the official image predictor ignores the object score. Remove it or set false.");
		ModelDescriptor.Decoder dec = d.preferredDecoder(allowBatch);
		for (ModelDescriptor.Decoder x : new ModelDescriptor.Decoder[] { d.decoder, d.batchDecoder })
			if (x != null && Boolean.FALSE.equals(x.padsPoints)) throw new ModelException(where + ": '" + x.file +
				"' has pads_points false; this plugin runs SAM 2 decoders that append the padding point in the " +
				"graph (as the official prompt encoder does, box or not). Re-export the decoder that way.");
		ModelSpec spec = spec(d, dec);
		int[][] shapes = { d.embeddingShape, d.highResShapes[0], d.highResShapes[1] };
		String[] encoderOutputs = { d.encoder.output(OnnxSam2Encoder.IMAGE_EMBED_ROLE),
			d.encoder.output(OnnxSam2Encoder.HIGH_RES_0), d.encoder.output(OnnxSam2Encoder.HIGH_RES_1) };
		SessionFactory factory = new SessionFactory(options);
		OrtSession enc = null, decSession = null, parallelSession = null;
		OrtSession[] maskFree = new OrtSession[3]; // no-mask decoder, its single-threaded copy, image side
		try {
			enc = openEncoder(factory, source, d.encoder.file, "encoder of " + source.describe());
			checkEncoder(enc, d, encoderOutputs, shapes, source);
			decSession = open(factory, source, dec.file, "decoder of " + source.describe());
			if (dec.transformersJs()) TjsSam2Prompts.check(decSession, dec, shapes, d.lowResSize, "decoder of " +
				source.describe());
			else checkDecoder(decSession, dec, d, shapes, source);
			// As for SAM 1: a single-threaded copy of the batch decoder, so that segment
			// everything decodes one chunk of grid points per core (OnnxSam2Decoder).
			int workers = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
			if (dec.batchAxis && workers > 1 && "CPU".equals(factory.provider())) parallelSession = openSingleThreaded(
				factory, source, dec.file, "decoder of " + source.describe());
			String summary = factory.provider() + (options.threads() > 0 ? " (" + options.threads() + " threads)" : "") +
				", " + (dec.batchAxis ? "batched decoder" : "batch-1 decoder") +
				(factory.fallbackReason() != null ? String.format(Locale.ROOT, " - %s; running on CPU",
					factory.fallbackReason()) : "");
			int maxBatch = options.maxBatchOn(factory.provider());
			OnnxSam2Decoder decoder = new OnnxSam2Decoder(factory.env(), decSession, dec, shapes, d.lowResSize, maxBatch,
				parallelSession, workers);
			if (d.batchDecoderNoMask != null && dec == d.batchDecoder && !dec.transformersJs())
				decoder.routeMasklessTo(maskFreeDecoder(factory, source, d, shapes, maxBatch, parallelSession != null,
					workers, maskFree));
			OnnxSam2Model model = new OnnxSam2Model(spec, source.id(), enc, decSession, parallelSession,
				OnnxSam2Encoder.create(factory.env(), enc, d.encoder.input, d.inputSize, encoderOutputs, shapes),
				decoder, summary);
			model.maskFreeSessions = maskFree;
			return model;
		}
		catch (ModelException | RuntimeException e) {
			closeQuietly(enc);
			closeQuietly(decSession);
			closeQuietly(parallelSession);
			for (OrtSession s : maskFree)
				closeQuietly(s);
			throw e;
		}
	}

	/**
	 * The batch decoder for calls without a mask prompt (the descriptor's batch_decoder_no_mask),
	 * with its image side when it has one. Its sessions go into {@code sessions} as they open, so
	 * that the caller closes them whatever happens.
	 */
	private static OnnxSam2Decoder maskFreeDecoder(SessionFactory factory, ModelSource source, ModelDescriptor d,
		int[][] shapes, int maxBatch, boolean parallel, int workers, OrtSession[] sessions) throws ModelException
	{
		ModelDescriptor.Decoder plain = d.batchDecoderNoMask;
		String what = "batch decoder without masks of " + source.describe();
		sessions[0] = open(factory, source, plain.file, what);
		checkDecoder(sessions[0], plain, d, shapes, source);
		if (parallel) sessions[1] = openSingleThreaded(factory, source, plain.file, what);
		OnnxSam2Decoder maskless = new OnnxSam2Decoder(factory.env(), sessions[0], plain, shapes, d.lowResSize,
			maxBatch, sessions[1], workers);
		if (plain.imageSide != null) {
			String sideWhat = "image side of the decoder of " + source.describe();
			sessions[2] = open(factory, source, plain.imageSide, sideWhat);
			// the image side takes the image tensors under the batch decoder's names for them
			String[] names = new String[3];
			for (int i = 0; i < 3; i++)
				names[i] = d.batchDecoder.input(OnnxSam2Decoder.ROLES[i]);
			maskless.takeImageFrom(OnnxImageSide.check(factory.env(), sessions[2], sessions[0], names, shapes,
				sideWhat));
		}
		return maskless;
	}

	/** The descriptor's spec with SAM 2's prompt encoding and single-mask rule. */
	static ModelSpec spec(ModelDescriptor d, ModelDescriptor.Decoder dec) {
		float clamp = d.maskInputClamp != null ? d.maskInputClamp : PromptEncoding.SAM2.maskInputClamp();
		MaskTokens.StabilityFallback fallback = MaskTokens.StabilityFallback.SAM2;
		ModelDescriptor.SingleMask s = d.singleMask;
		if (s != null) {
			if (Boolean.FALSE.equals(s.dynamicMultimaskViaStability)) fallback = null;
			else if (s.stabilityDelta != null || s.stabilityThresh != null) fallback = new MaskTokens.StabilityFallback(
				s.stabilityDelta != null ? s.stabilityDelta : fallback.delta(),
				s.stabilityThresh != null ? s.stabilityThresh : fallback.threshold());
		}
		PromptEncoding encoding = new PromptEncoding(true, true, clamp);
		if (dec.transformersJs()) encoding = encoding.withoutMaskInput(TJS_NO_MASK);
		return d.toSpec(dec.maskOutputs).withPromptEncoding(encoding).withSingleMaskFallback(fallback);
	}

	/** As {@link #open}, with the encoder's session options ({@link SessionFactory#createEncoder}). */
	private static OrtSession openEncoder(SessionFactory factory, ModelSource source, String file, String what)
		throws ModelException
	{
		Path p = source.verifiedPath(file);
		return p != null ? factory.createEncoder(p.toString(), null, what) : factory.createEncoder(null, source.read(
			file), what);
	}

	private static OrtSession open(SessionFactory factory, ModelSource source, String file, String what)
		throws ModelException
	{
		// Files on disk are opened by path, verified by streaming (see OnnxSamModel.ModelFile).
		Path p = source.verifiedPath(file);
		return p != null ? factory.create(p.toString(), what) : factory.create(source.read(file), what);
	}

	/** A single-threaded CPU session of {@code file} (see {@link SessionFactory#createSingleThreaded}). */
	private static OrtSession openSingleThreaded(SessionFactory factory, ModelSource source, String file, String what)
		throws ModelException
	{
		// By path when on disk (verified by streaming): ONNX Runtime finds external weights (converted
		// models) only beside a path.
		Path p = source.verifiedPath(file);
		return p != null ? factory.createSingleThreaded(p.toString(), null, what) : factory.createSingleThreaded(null,
			source.read(file), what);
	}

	private static void checkEncoder(OrtSession s, ModelDescriptor d, String[] outputs, int[][] shapes,
		ModelSource source) throws ModelException
	{
		String what = "encoder of " + source.describe();
		try {
			new TensorCheck(what, "input", s.getInputInfo()).require("the preprocessed image", d.encoder.input,
				1, 3, d.inputSize, d.inputSize);
			if (s.getOutputInfo().size() == 1) throw new ModelException("The " + what + " has one output " +
				s.getOutputInfo().keySet() + ", as a SAM 1 encoder; a SAM 2 encoder has three (" + String.join(", ",
					outputs) + "). Use the SAM 2 encoder export with this SAM 2 decoder, or set family \"sam1\" in " +
				"sam.json if both files are SAM 1.");
			TensorCheck out = new TensorCheck(what, "output", s.getOutputInfo());
			String[] roles = { "the image embedding (embedding_shape)", "high_res_feats_0 (high_res_shapes[0])",
				"high_res_feats_1 (high_res_shapes[1])" };
			for (int i = 0; i < 3; i++)
				out.require(roles[i], outputs[i], 1, shapes[i][0], shapes[i][1], shapes[i][2]);
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the encoder: " + e.getMessage(), e);
		}
	}

	private static void checkDecoder(OrtSession s, ModelDescriptor.Decoder dec, ModelDescriptor d, int[][] shapes,
		ModelSource source) throws ModelException
	{
		String what = (dec.batchAxis ? "batch decoder" : "decoder") + " of " + source.describe();
		try {
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			int l = d.lowResSize;
			long b = dec.batchAxis ? -1 : 1;
			// with an image side, its outputs take the image tensors' place (checked by OnnxImageSide)
			if (dec.imageSide != null) {
				TensorCheck.requirePromptInterface(in, new TensorCheck(what, "output", s.getOutputInfo()), dec, b, l);
				return;
			}
			if (!s.getInputInfo().containsKey(dec.input(OnnxSam2Encoder.HIGH_RES_0))) throw new ModelException("The " +
				what + " takes " + s.getInputInfo().keySet() + " but no '" + dec.input(OnnxSam2Encoder.HIGH_RES_0) +
				"': it is not a SAM 2 decoder (a SAM 1 decoder takes only the image embedding). Use the SAM 2 " +
				"decoder export that belongs to this encoder, or fix the names in sam.json's decoder 'inputs'.");
			String[] roles = { OnnxSam2Encoder.IMAGE_EMBED_ROLE, OnnxSam2Encoder.HIGH_RES_0, OnnxSam2Encoder.HIGH_RES_1 };
			for (int i = 0; i < 3; i++) {
				int[] e = shapes[i];
				try {
					in.require(roles[i], dec.input(roles[i]), 1, e[0], e[1], e[2]);
				}
				catch (ModelException x) {
					throw new ModelException(x.getMessage() + " The encoder gives " + Arrays.toString(e) + " (checked " +
						"against sam.json): the decoder belongs to another SAM 2 size than the encoder. Export both " +
						"from the same checkpoint.", x);
				}
			}
			TensorCheck.requirePromptInterface(in, new TensorCheck(what, "output", s.getOutputInfo()), dec, b, l);
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the decoder: " + e.getMessage(), e);
		}
	}

	@Override
	public ModelSpec spec() { return spec; }

	@Override
	public ImageEncoder encoder() { return encoder; }

	@Override
	public MaskDecoder decoder() { return decoder; }

	@Override
	public String id() { return id; }

	@Override
	public String executionSummary() { return summary; }

	@Override
	public boolean batchedDecoder() { return decoder.batched(); }

	@Override
	public void close() {
		decoder.close();
		closeQuietly(encoderSession);
		closeQuietly(decoderSession);
		closeQuietly(parallelDecoderSession);
		for (OrtSession s : maskFreeSessions)
			closeQuietly(s);
	}

	private static void closeQuietly(OrtSession s) {
		if (s == null) return;
		try {
			s.close();
		}
		catch (OrtException e) {
			// Closing frees native memory; nothing a user could act on if it fails.
		}
	}
}
