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
import org.fijisam.core.SamModel;
import org.fijisam.model.ModelDescriptor;
import org.fijisam.model.ModelSource;

/**
 * A SAM-family model running in ONNX Runtime: one long-lived session for the encoder and one
 * for the decoder (the batch decoder when the model has one; on a multi-core CPU also a
 * single-threaded copy of it for decoding many prompts on all cores at once). Loading validates
 * every tensor the descriptor names. Close it to free native memory.
 */
public final class OnnxSamModel implements SamModel {

	private final ModelSpec spec;
	private final String id;
	private final OrtSession encoderSession;
	private final OrtSession decoderSession;
	private final OrtSession parallelDecoderSession;
	private final OnnxImageEncoder encoder;
	private final OnnxMaskDecoder decoder;
	private final String summary;
	private final String fallbackReason;
	private final String provider;
	private OrtSession instanceSession;
	/** The batch decoder without the mask path and its single-threaded twin (both may be null). */
	private OrtSession plainDecoderSession, plainParallelSession, imageSideSession;
	private OnnxInstanceDecoder instanceDecoder;
	private String automaticMode = "amg";

	private OnnxSamModel(ModelSpec spec, String id, OrtSession encoderSession, OrtSession decoderSession,
		OrtSession parallelDecoderSession, OnnxImageEncoder encoder, OnnxMaskDecoder decoder, String summary,
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
		ModelSpec spec = d.toSpec(dec.maskOutputs);
		SessionFactory factory = new SessionFactory(options);
		OrtSession enc = null, decSession = null, parallelSession = null, instance = null, plainSession = null,
			plainParallel = null, imageSide = null;
		try {
			ModelFile encFile = ModelFile.of(source, d.encoder.file);
			enc = factory.createEncoder(encFile.path, encFile.bytes, "encoder of " + source.describe());
			checkEncoder(enc, d, source);
			ModelFile decFile = ModelFile.of(source, dec.file); // read once, also for the parallel session
			decSession = open(factory, decFile, "decoder of " + source.describe(), false);
			checkDecoder(decSession, dec, d, source);
			int workers = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
			if (dec.batchAxis && workers > 1 && "CPU".equals(factory.provider()))
				parallelSession = open(factory, decFile, "decoder of " + source.describe(), true);
			String summary = factory.provider() + (options.threads() > 0 ? " (" + options.threads() +
				" threads)" : "") + ", " + (dec.batchAxis ? "batched decoder" : "batch-1 decoder");
			int maxBatch = options.maxBatchOn(factory.provider());
			OnnxMaskDecoder decoder = new OnnxMaskDecoder(factory.env(), decSession, dec, spec, maxBatch,
				parallelSession, workers);
			ModelDescriptor.Decoder plain = d.batchDecoderNoMask;
			if (plain != null && dec == d.batchDecoder) {
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
				decoder.routeMasklessTo(maskless);
			}
			OnnxSamModel model = new OnnxSamModel(spec, source.id(), enc, decSession, parallelSession,
				new OnnxImageEncoder(factory.env(), enc, d.encoder.input, d.encoder.output, d.inputSize,
					d.embeddingShape), decoder,
				summary, factory.provider(), factory.fallbackReason());
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

	private static void checkEncoder(OrtSession s, ModelDescriptor d, ModelSource source) throws ModelException {
		try {
			String what = "encoder of " + source.describe();
			new TensorCheck(what, "input", s.getInputInfo()).require("the preprocessed image", d.encoder.input,
				1, 3, d.inputSize, d.inputSize);
			int[] e = d.embeddingShape;
			new TensorCheck(what, "output", s.getOutputInfo()).require("the image embedding", d.encoder.output,
				1, e[0], e[1], e[2]);
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
