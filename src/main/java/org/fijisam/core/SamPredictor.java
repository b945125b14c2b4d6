package org.fijisam.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The core API: encode an image plane once, then decode as many prompts as needed against
 * the embedding. Entry points (plugin, commands, CLI, interactive tool) all go through here.
 * Thread-safe as long as the model's encoder and decoder are.
 */
public final class SamPredictor {

	private final SamModel model;
	private final EmbeddingCache cache;
	private final Preprocessor preprocessor;
	private final InferenceTimings timings = new InferenceTimings();
	/**
	 * One encoder input buffer per thread, reused: direct memory is only freed when the
	 * garbage collector gets to it, and zooming encodes a window per object, so allocating
	 * 12 MB per encoder run exhausted the direct-memory limit.
	 */
	private final ThreadLocal<FloatBuffer> inputBuffer = new ThreadLocal<>();

	public SamPredictor(SamModel model, EmbeddingCache cache) {
		this.model = model;
		this.cache = cache != null ? cache : EmbeddingCache.disabled();
		this.preprocessor = new Preprocessor(model.spec());
	}

	public SamPredictor(SamModel model) {
		this(model, EmbeddingCache.disabled());
	}

	public SamModel model() { return model; }

	public ModelSpec spec() { return model.spec(); }

	public EmbeddingCache cache() { return cache; }

	public InferenceTimings timings() { return timings; }

	/** The embedding of an image plane, from the cache when the same plane was seen before. */
	public ImageEmbedding embed(SamImage image) throws SamException {
		ResizeGeometry g = preprocessor.geometry(image);
		String key = model.id() + ":" + image.width() + "x" + image.height() + ":" +
			Long.toHexString(image.contentHash());
		ImageEmbedding cached = cache.get(key, g);
		if (cached != null) return cached;
		long t0 = System.nanoTime();
		int s = model.spec().inputSize();
		FloatBuffer input = buffer(s);
		input.clear();
		preprocessor.preprocess(image, input);
		long t1 = System.nanoTime();
		timings.addPreprocess(t1 - t0);
		List<EmbeddingTensor> tensors = model.encoder().encode(input);
		timings.addEncode(System.nanoTime() - t1);
		ImageEmbedding e = new ImageEmbedding(tensors, g, key);
		cache.put(e);
		return e;
	}

	/**
	 * The instance decoder's maps over the image (the embedding from the cache when the plane was
	 * seen before).
	 *
	 * @throws ModelException when the model has no instance decoder
	 */
	public InstanceMaps instanceMaps(SamImage image) throws SamException {
		return instanceMaps(embed(image), image);
	}

	/** The same for an image whose embedding is at hand ({@code e} must be {@code image}'s). */
	public InstanceMaps instanceMaps(ImageEmbedding e, SamImage image) throws SamException {
		InstanceDecoder decoder = model.instanceDecoder();
		if (decoder == null) throw new ModelException("The model " + model.spec().name() + " has no instance " +
			"decoder, so it cannot segment in mode ais: use mode amg (SAM's grid of points), or a model whose sam.json " +
			"names an instance_decoder.");
		long t0 = System.nanoTime();
		FloatBuffer input = buffer(model.spec().inputSize());
		input.clear();
		// The decoder also reads the pixels: the same tensor the encoder had (embed may have come from the cache).
		preprocessor.preprocess(image, input);
		input.rewind();
		InstanceMaps maps = decoder.decode(e, input);
		timings.addDecode(System.nanoTime() - t0, 0);
		return maps.atImageSize(e.geometry());
	}

	/** This thread's encoder input buffer. */
	private FloatBuffer buffer(int s) {
		FloatBuffer input = inputBuffer.get();
		if (input == null) {
			// Direct, native-order buffer: ONNX Runtime wraps it without another copy.
			input = ByteBuffer.allocateDirect(4 * 3 * s * s).order(ByteOrder.nativeOrder()).asFloatBuffer();
			inputBuffer.set(input);
		}
		return input;
	}

	/** Decodes one prompt. */
	public Segmentation segment(ImageEmbedding embedding, Prompt prompt, MaskSelection selection)
		throws SamException
	{
		List<Prompt> one = new ArrayList<>();
		one.add(prompt);
		return segment(embedding, one, selection).get(0);
	}

	/** Decodes many prompts (one object each), batched when the model allows it. */
	public List<Segmentation> segment(ImageEmbedding embedding, List<Prompt> prompts,
		MaskSelection selection) throws SamException
	{
		return segment(EmbeddedWindow.whole(embedding), prompts, selection);
	}

	/** The embedding of a window of an image plane (cached like whole planes). */
	public EmbeddedWindow embed(SamImage image, ImageWindow window) throws SamException {
		ImageEmbedding e = embed(image.crop(window));
		return new EmbeddedWindow(e, window, image.width(), image.height());
	}

	/**
	 * Decodes prompts given in the whole image's coordinates against the embedding of a window
	 * of it; the masks come back the size of the whole image. Mask inputs must come from
	 * segmentations decoded in the same window.
	 */
	public List<Segmentation> segment(EmbeddedWindow view, List<Prompt> prompts, MaskSelection selection)
		throws SamException
	{
		ImageEmbedding embedding = view.embedding();
		ResizeGeometry g = embedding.geometry();
		if (prompts.isEmpty()) throw new InvalidPromptException(
			"No prompt given: add at least one point or a box.");
		List<DecoderPrompt> encoded = new ArrayList<>(prompts.size());
		int lowRes = model.spec().lowResSize();
		PromptEncoding how = model.spec().promptEncoding();
		for (Prompt p : prompts) {
			how.check(p);
			if (view.isWholeImage()) p.validate(g.width(), g.height());
			else {
				p.validate(view.imageWidth(), view.imageHeight());
				if (!view.fits(p)) throw new InvalidPromptException("The " + p + " reaches outside the " +
					view.window() + " it is decoded in.");
			}
			Prompt local = view.isWholeImage() ? p : p.shifted(-view.window().x, -view.window().y);
			encoded.add(DecoderPrompt.encode(local, g, lowRes, how));
		}
		long t0 = System.nanoTime();
		List<DecoderOutput> outputs = model.decoder().decode(embedding, encoded);
		timings.addDecode(System.nanoTime() - t0, prompts.size());
		List<Segmentation> result = new ArrayList<>(prompts.size());
		for (int i = 0; i < prompts.size(); i++)
			result.add(select(prompts.get(i), view, outputs.get(i), selection));
		return result;
	}

	private Segmentation select(Prompt prompt, EmbeddedWindow view, DecoderOutput out,
		MaskSelection selection)
	{
		ResizeGeometry g = view.embedding().geometry();
		int lowRes = model.spec().lowResSize();
		int k = out.count();
		List<MaskCandidate> all = new ArrayList<>(k);
		for (int i = 0; i < k; i++)
			all.add(new MaskCandidate(MaskTokens.token(k, i), out.iou(i), new LowResMask(lowRes, out.lowRes(i)), g));
		MaskSelection mode = MaskTokens.resolve(selection, prompt.isAmbiguous(), model.spec().lonePointSelection());
		return new Segmentation(prompt, view, all, MaskTokens.keep(all, mode, model.spec().singleMaskFallback()));
	}
}
