package org.fijisam.fake;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.fijisam.Fixtures;
import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamException;
import org.fijisam.core.SamModel;
import org.fijisam.model.ModelSource;

/**
 * A SAM model in plain Java that answers like the "known" fixture ONNX model (see
 * src/test/resources/fixtures/README.md), so that core, AMG and front-end tests run without
 * ONNX Runtime. Its spec is the fixture's own (read from its sam.json). The encoder averages
 * the input over cells; the decoder returns discs around the first foreground point (or the
 * box), whatever the embedding holds. {@code FakeModelParityTest} checks it against the ONNX
 * fixture output for output.
 */
public final class FakeSamModel implements SamModel {

	/** The name of the fake family's only embedding tensor (not SAM 1's: embeddings do not mix). */
	public static final String EMBEDDING = "fake_embedding";

	private final ModelSpec spec;
	private final AtomicInteger encodes = new AtomicInteger();
	private final AtomicInteger decodes = new AtomicInteger();
	private volatile boolean closed;

	private FakeSamModel(ModelSpec spec) {
		this.spec = spec;
	}

	/** The fake of the "known" fixture: input 256, embedding [16, 16, 16], low-res 64, 4 outputs. */
	public static FakeSamModel known() {
		try {
			return of(ModelSource.folder(Fixtures.folder("known")));
		}
		catch (ModelException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A fake with the spec of a model folder's descriptor (its decoder's output count). */
	public static FakeSamModel of(ModelSource source) throws ModelException {
		return new FakeSamModel(source.descriptor().toSpec(source.descriptor().preferredDecoder(true).maskOutputs));
	}

	@Override
	public ModelSpec spec() { return spec; }

	@Override
	public ImageEncoder encoder() { return this::encode; }

	@Override
	public MaskDecoder decoder() { return this::decode; }

	@Override
	public String id() { return "fake-" + spec.name(); }

	@Override
	public String executionSummary() { return "plain Java (fake model)"; }

	@Override
	public boolean batchedDecoder() { return true; }

	@Override
	public void close() { closed = true; }

	public boolean closed() { return closed; }

	/** How many images were encoded (cache tests). */
	public int encodes() { return encodes.get(); }

	/** How many decoder calls were made. */
	public int decodes() { return decodes.get(); }

	/**
	 * Channels 0..2: each input channel averaged over cells of (S / H) x (S / W) pixels;
	 * channel k >= 3: (k - 2) times the mean of those three.
	 */
	private List<EmbeddingTensor> encode(FloatBuffer input) throws SamException {
		if (closed) throw new SamException("the fake model is closed");
		encodes.incrementAndGet();
		int s = spec.inputSize();
		int[] shape = spec.embeddingShape();
		int h = shape[1], w = shape[2], cellY = s / h, cellX = s / w;
		float[] p = new float[3 * h * w];
		for (int c = 0; c < 3; c++)
			for (int y = 0; y < s; y++)
				for (int x = 0; x < s; x++)
					p[(c * h + y / cellY) * w + x / cellX] += input.get((c * s + y) * s + x);
		for (int i = 0; i < p.length; i++)
			p[i] /= cellX * cellY;
		float[] e = new float[shape[0] * h * w];
		for (int k = 0; k < shape[0]; k++)
			for (int i = 0; i < h * w; i++)
				e[k * h * w + i] = k < 3 ? p[k * h * w + i] : (k - 2) * (p[i] + p[h * w + i] + p[2 * h * w + i]) / 3;
		return Collections.singletonList(new EmbeddingTensor(EMBEDDING, shape, e));
	}

	private List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		if (closed) throw new SamException("the fake model is closed");
		try {
			embedding.tensor(EMBEDDING);
		}
		catch (IllegalArgumentException e) {
			throw new SamException(e.getMessage(), e);
		}
		decodes.incrementAndGet();
		List<DecoderOutput> out = new ArrayList<>(prompts.size());
		for (DecoderPrompt p : prompts)
			out.add(new KnownDecoder(spec.lowResSize(), spec.inputSize() / (float) spec.lowResSize(),
				spec.maskOutputs()).decode(p));
		return out;
	}
}
