package org.fijisam.fake;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.fijisam.core.DecoderOutput;
import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.ImageEncoder;
import org.fijisam.core.MaskDecoder;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamException;
import org.fijisam.core.SamModel;

/**
 * A fake SAM that, unlike {@link FakeSamModel}, looks at the image: it segments the bright
 * blob under the prompt. The encoder keeps the image's first channel averaged over
 * low-res cells (4 x 4 model pixels); the decoder flood-fills the bright cells (normalised
 * value above 0, i.e. grey above about 124) 4-connected to the cell of the first foreground
 * point (or of the box centre), logits +4 inside and -4 outside, the same mask for every
 * token. A prompt on a dark cell gives an empty mask, so an object can end. The spec is the
 * "known" fixture's (input 256, low-res 64). Made for propagation tests.
 */
public final class BlobFakeModel implements SamModel {

	public static final String EMBEDDING = "blob_embedding";

	private final ModelSpec spec;
	private final float iou;
	private final float inside;
	private final AtomicInteger encodes = new AtomicInteger();
	private final List<Boolean> maskInputs = Collections.synchronizedList(new ArrayList<>());

	/**
	 * @param iou the predicted IoU of every output
	 * @param inside the logit inside the blob: 4 is stable (stability 1); below SAM's
	 *        stability offset of 1 the mask is still there but its stability is 0
	 */
	public BlobFakeModel(float iou, float inside) {
		this.spec = FakeSamModel.known().spec();
		this.iou = iou;
		this.inside = inside;
	}

	public BlobFakeModel(float iou) {
		this(iou, 4f);
	}

	public BlobFakeModel() {
		this(0.9f);
	}

	@Override
	public ModelSpec spec() { return spec; }

	@Override
	public ImageEncoder encoder() { return this::encode; }

	@Override
	public MaskDecoder decoder() { return this::decode; }

	@Override
	public String id() { return "blob-fake"; }

	@Override
	public String executionSummary() { return "plain Java (blob fake)"; }

	@Override
	public boolean batchedDecoder() { return true; }

	@Override
	public void close() {}

	/** How many planes were encoded. */
	public int encodes() { return encodes.get(); }

	/** For every decoded prompt, in order: whether it carried a mask input. */
	public List<Boolean> maskInputs() {
		synchronized (maskInputs) {
			return new ArrayList<>(maskInputs);
		}
	}

	private List<EmbeddingTensor> encode(FloatBuffer input) {
		encodes.incrementAndGet();
		int s = spec.inputSize(), l = spec.lowResSize(), cell = s / l;
		float[] e = new float[l * l];
		for (int y = 0; y < s; y++)
			for (int x = 0; x < s; x++)
				e[(y / cell) * l + x / cell] += input.get(y * s + x);
		for (int i = 0; i < e.length; i++)
			e[i] /= cell * cell;
		return Collections.singletonList(new EmbeddingTensor(EMBEDDING, new int[] { 1, l, l }, e));
	}

	private List<DecoderOutput> decode(ImageEmbedding embedding, List<DecoderPrompt> prompts) throws SamException {
		float[] cells;
		try {
			cells = embedding.tensor(EMBEDDING).data();
		}
		catch (IllegalArgumentException e) {
			throw new SamException(e.getMessage(), e);
		}
		List<DecoderOutput> out = new ArrayList<>(prompts.size());
		for (DecoderPrompt p : prompts) {
			maskInputs.add(p.hasMask());
			float[] logits = blob(cells, anchor(p));
			int k = spec.maskOutputs();
			float[] scores = new float[k];
			float[][] masks = new float[k][];
			Arrays.fill(scores, iou);
			for (int i = 0; i < k; i++)
				masks[i] = logits.clone();
			out.add(new DecoderOutput(scores, masks));
		}
		return out;
	}

	/** The first foreground point, else the box centre, in the model frame; null if neither. */
	private static float[] anchor(DecoderPrompt p) {
		float[] c = p.coords(), labels = p.labels();
		int tl = -1, br = -1;
		for (int i = 0; i < labels.length; i++) {
			if (labels[i] == 1) return new float[] { c[2 * i], c[2 * i + 1] };
			if (labels[i] == 2 && tl < 0) tl = i;
			if (labels[i] == 3 && br < 0) br = i;
		}
		if (tl < 0 || br < 0) return null;
		return new float[] { (c[2 * tl] + c[2 * br]) / 2, (c[2 * tl + 1] + c[2 * br + 1]) / 2 };
	}

	private float[] blob(float[] cells, float[] anchor) {
		int l = spec.lowResSize();
		float scale = spec.inputSize() / (float) l;
		float[] logits = new float[l * l];
		Arrays.fill(logits, -4f);
		if (anchor == null) return logits;
		int ax = (int) (anchor[0] / scale), ay = (int) (anchor[1] / scale);
		if (ax < 0 || ay < 0 || ax >= l || ay >= l || cells[ay * l + ax] <= 0) return logits;
		ArrayDeque<Integer> todo = new ArrayDeque<>();
		todo.add(ay * l + ax);
		logits[ay * l + ax] = inside;
		while (!todo.isEmpty()) {
			int q = todo.poll(), x = q % l, y = q / l;
			int[] next = { x > 0 ? q - 1 : -1, x < l - 1 ? q + 1 : -1, y > 0 ? q - l : -1, y < l - 1 ? q + l : -1 };
			for (int r : next)
				if (r >= 0 && logits[r] < 0 && cells[r] > 0) {
					logits[r] = inside;
					todo.add(r);
				}
		}
		return logits;
	}
}
