package org.fijisam.onnx;

import java.nio.file.Path;
import java.util.Locale;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.PromptEncoding;
import org.fijisam.core.SamModel;
import org.fijisam.model.ModelDescriptor;
import org.fijisam.model.ModelSource;

/**
 * A SAM-family model running in ONNX Runtime: one long-lived session for the encoder and one
 * for the decoder (the batch decoder when the model has one; on a multi-core CPU also a
 * single-threaded copy of it for decoding many prompts on all cores at once). Loading validates
 * every tensor the descriptor names. A decoder with transformers.js' prompt interface (HF
 * SamModel as optimum exports it) runs through {@link OnnxTjsDecoder}, with the positional
 * encoding its encoder also returns, and takes points only. Close it to free native memory.
 */
public final class OnnxSamModel implements SamModel {

	/** Why a transformers.js model takes points only, and what to use instead (see PromptEncoding.pointsOnly). */
	static final String TJS_POINTS_ONLY = "it is a transformers.js export (HF transformers' SamModel, exported by " +
		"optimum), whose prompt decoder takes points only: the graph has no box and no mask input, and two corner " +
		"points are not SAM's box encoding, so a box is not approximated. Use foreground and background points, or, " +
		"for boxes and refinement, a SAM 1 model with the official decoder interface: 'sam-cli models convert' of " +
		"the official checkpoint, segment-anything's export_onnx_model.py, or samexporter.";

	private final ModelSpec spec;
	private final String id;
	private final OrtSession encoderSession;
	private final OrtSession decoderSession;
	private final OrtSession parallelDecoderSession;
	private final OnnxImageEncoder encoder;
	private final OnnxDecoder decoder;
	private final String summary;
	private final String fallbackReason;
	private final String provider;
	private OrtSession instanceSession;
	/** The batch decoder without the mask path and its single-threaded twin (both may be null). */
	private OrtSession plainDecoderSession, plainParallelSession, imageSideSession;
	private OnnxInstanceDecoder instanceDecoder;
	private String automaticMode = "amg";

	private OnnxSamModel(ModelSpec spec, String id, OrtSession encoderSession, OrtSession decoderSession,
		OrtSession parallelDecoderSession, OnnxImageEncoder encoder, OnnxDecoder decoder, String summary,
		String provider, String fallbackReason)
	{
		this.spec = spec;
		this.id = id;
		this.encoderSession = encoderSession;
		this.decoderSession = decoderSession;
		this.parallelDecoderSession = parallelDecoderSession;
		this.encoder = encoder;
		this.decoder = decoder;
		this.summary = summary;
		this.provider = provider;
		this.fallbackReason = fallbackReason;
	}

	/** Loads with the batch decoder when the model has one. */
	public static OnnxSamModel load(ModelSource source, ExecutionOptions options) throws ModelException {
		return load(source, options, true);
	}

	/**
	 * @param allowBatch false forces the batch-1 decoder (used to compare both paths)
	 */
	public static OnnxSamModel load(ModelSource source, ExecutionOptions options, boolean allowBatch)
		throws ModelException
	{
		ModelDescriptor d = source.descriptor();
		if (!OnnxFamilies.SAM1.name().equals(d.family)) throw new ModelException(source.describe() + " holds a '" +
			d.family + "' model, not " + OnnxFamilies.SAM1.name() + ": load it with Models.load.");
		ModelDescriptor.Decoder dec = d.preferredDecoder(allowBatch);
		boolean tjs = dec.transformersJs();
		ModelSpec spec = d.toSpec(dec.maskOutputs);
		if (tjs) spec = spec.withPromptEncoding(PromptEncoding.pointsOnly(TJS_POINTS_ONLY));
		SessionFactory factory = new SessionFactory(options);
		OrtSession enc = null, decSession = null, parallelSession = null, instance = null, plainSession = null,
			plainParallel = null, imageSide = null;
		try {
			ModelFile encFile = ModelFile.of(source, d.encoder.file);
			enc = factory.createEncoder(encFile.path, encFile.bytes, "encoder of " + source.describe());
			checkEncoder(enc, d, tjs, source);
			ModelFile decFile = ModelFile.of(source, dec.file); // read once, also for the parallel session
			decSession = open(factory, decFile, "decoder of " + source.describe(), false);
			if (tjs) OnnxTjsDecoder.check(decSession, dec, d.embeddingShape, d.lowResSize, "decoder of " + source
				.describe());
			else checkDecoder(decSession, dec, d, source);
			int workers = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
			if (dec.batchAxis && workers > 1 && "CPU".equals(factory.provider()))
				parallelSession = open(factory, decFile, "decoder of " + source.describe(), true);
			String summary = factory.provider() + (options.threads() > 0 ? " (" + options.threads() +
				" threads)" : "") + ", " + (dec.batchAxis ? "batched decoder" : "batch-1 decoder");
			int maxBatch = options.maxBatchOn(factory.provider());
			OnnxMaskDecoder official = tjs ? null : new OnnxMaskDecoder(factory.env(), decSession, dec, spec,
				maxBatch, parallelSession, workers);
			OnnxDecoder decoder = tjs ? new OnnxTjsDecoder(factory.env(), decSession, dec, d.embeddingShape,
				d.lowResSize, maxBatch, parallelSession, workers) : official;
			ModelDescriptor.Decoder plain = d.batchDecoderNoMask;
			if (plain != null && dec == d.batchDecoder && official != null) {
				String what = "batch decoder without masks of " + source.describe();
				ModelFile plainFile = ModelFile.of(source, plain.file);
				plainSession = open(factory, plainFile, what, false);
				checkDecoder(plainSession, plain, d, source);
				if (parallelSession != null) plainParallel = open(factory, plainFile, what, true);
				OnnxMaskDecoder maskless = new OnnxMaskDecoder(factory.env(), plainSession, plain, spec, maxBatch,
					plainParallel, workers);
				if (plain.imageSide != null) {
					String sideWhat = "image side of the decoder of " + source.describe();
					imageSide = open(factory, ModelFile.of(source, plain.imageSide), sideWhat, false);
					maskless.takeImageFrom(OnnxImageSide.check(factory.env(), imageSide, plainSession,
						d.embeddingShape, sideWhat));
				}
				official.routeMasklessTo(maskless);
			}
			OnnxSamModel model = new OnnxSamModel(spec, source.id(), enc, decSession, parallelSession,
				encoder(factory, enc, d, tjs), decoder, summary, factory.provider(), factory.fallbackReason());
			model.plainDecoderSession = plainSession;
			model.plainParallelSession = plainParallel;
			model.imageSideSession = imageSide;
			if (d.instanceDecoder != null) {
				String what = "instance decoder of " + source.describe();
				instance = open(factory, ModelFile.of(source, d.instanceDecoder.file), what, false);
				int side = OnnxInstanceDecoder.check(instance, d.instanceDecoder, d, what);
				model.instanceSession = instance;
				model.instanceDecoder = new OnnxInstanceDecoder(factory.env(), instance, d.instanceDecoder, d.inputSize,
					side);
			}
			model.automaticMode = d.defaultAutomaticMode();
			return model;
		}
		catch (ModelException | RuntimeException e) {
			closeQuietly(instance);
			closeQuietly(enc);
			closeQuietly(decSession);
			closeQuietly(parallelSession);
			closeQuietly(plainSession);
			closeQuietly(plainParallel);
			closeQuietly(imageSide);
			throw e;
		}
	}

	/** SAM 1's encoder; a transformers.js one also returns the image-wide positional encoding its decoder takes. */
	private static OnnxImageEncoder encoder(SessionFactory factory, OrtSession enc, ModelDescriptor d, boolean tjs) {
		if (!tjs) return new OnnxImageEncoder(factory.env(), enc, d.encoder.input, d.encoder.output, d.inputSize,
			d.embeddingShape);
		String[] names = { OnnxImageEncoder.EMBEDDING, OnnxImageEncoder.POSITIONAL };
		return new OnnxImageEncoder(factory.env(), enc, d.encoder.input, d.inputSize, names, new String[] {
			d.encoder.output(names[0]), d.encoder.output(names[1]) }, new int[][] { d.embeddingShape, d.embeddingShape });
	}

	/** Where ONNX Runtime reads one model file from: a path, or the file's verified bytes. */
	private static final class ModelFile {
		final String path;
		final byte[] bytes;

		private ModelFile(String path, byte[] bytes) {
			this.path = path;
			this.bytes = bytes;
		}

		static ModelFile of(ModelSource source, String file) throws ModelException {
			// Files on disk are opened by path, verified by streaming: large exports need no bytes in the
			// heap, and ONNX Runtime finds external weights (converted models) only beside a path.
			Path p = source.verifiedPath(file);
			return p != null ? new ModelFile(p.toString(), null) : new ModelFile(null, source.read(file));
		}
	}

	/**
	 * @param singleThreaded a CPU session for concurrent calls (see
	 *        {@link SessionFactory#createSingleThreaded}); else one with the requested provider
	 */
	private static OrtSession open(SessionFactory factory, ModelFile file, String what, boolean singleThreaded)
		throws ModelException
	{
		if (singleThreaded) return factory.createSingleThreaded(file.path, file.bytes, what);
		return file.path != null ? factory.create(file.path, what) : factory.create(file.bytes, what);
	}

	private static void checkEncoder(OrtSession s, ModelDescriptor d, boolean tjs, ModelSource source)
		throws ModelException
	{
		try {
			String what = "encoder of " + source.describe();
			new TensorCheck(what, "input", s.getInputInfo()).require("the preprocessed image", d.encoder.input,
				1, 3, d.inputSize, d.inputSize);
			int[] e = d.embeddingShape;
			TensorCheck out = new TensorCheck(what, "output", s.getOutputInfo());
			out.require("the image embedding", d.encoder.output, 1, e[0], e[1], e[2]);
			if (tjs) out.require("the image-wide positional encoding", d.encoder.output(OnnxImageEncoder.POSITIONAL), 1,
				e[0], e[1], e[2]);
		}
		catch (OrtException e) {
			throw new ModelException("Cannot inspect the encoder: " + e.getMessage(), e);
		}
	}

	private static void checkDecoder(OrtSession s, ModelDescriptor.Decoder dec, ModelDescriptor d,
		ModelSource source) throws ModelException
	{
		try {
			String what = (dec.batchAxis ? "batch decoder" : "decoder") + " of " + source.describe();
			TensorCheck in = new TensorCheck(what, "input", s.getInputInfo());
			int[] e = d.embeddingShape;
			int l = d.lowResSize;
			long b = dec.batchAxis ? -1 : 1;
			// with an image side, its outputs take the embedding's place (checked by OnnxImageSide)
			if (dec.imageSide == null) in.require("image_embeddings", dec.input("image_embeddings"), 1, e[0], e[1],
				e[2]);
			if (dec.origImSize) in.require("orig_im_size", dec.input("orig_im_size"), 2);
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
	public org.fijisam.core.InstanceDecoder instanceDecoder() { return instanceDecoder; }

	@Override
	public String automaticMode() { return automaticMode; }

	/** "CPU" or "CUDA". */
	public String provider() { return provider; }

	/** Why provider AUTO runs on the CPU, or null (provider CUDA that cannot start fails to load). */
	public String fallbackReason() { return fallbackReason; }

	@Override
	public boolean batchedDecoder() { return decoder.batched(); }

	@Override
	public String executionSummary() {
		return summary + (fallbackReason != null ? String.format(Locale.ROOT, " - %s; running on CPU", fallbackReason)
			: "");
	}

	@Override
	public void close() {
		decoder.close();
		closeQuietly(encoderSession);
		closeQuietly(decoderSession);
		closeQuietly(parallelDecoderSession);
		closeQuietly(plainDecoderSession);
		closeQuietly(plainParallelSession);
		closeQuietly(imageSideSession);
		closeQuietly(instanceSession);
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
