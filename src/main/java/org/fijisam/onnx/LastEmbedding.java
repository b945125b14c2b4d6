package org.fijisam.onnx;

import java.nio.FloatBuffer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import org.fijisam.core.EmbeddingTensor;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.SamException;

/**
 * A decoder's copy of the last embedding's tensors in direct, native-order buffers, which ONNX
 * Runtime reads in place. Java has no IO binding, so every new tensor copies its data; keeping
 * the last embedding's copy spares the clicks on one image (and the batches of segment
 * everything) copying and allocating it again on every call (4 MB for SAM ViT-B, 16 MB for
 * SAM 2). Only the last embedding is kept, and weakly: it goes when the caller drops the
 * embedding. Embeddings are never modified after creation, so identity tells whether the copy
 * is current.
 */
final class LastEmbedding {

	private final KeptForLastEmbedding<FloatBuffer[]> copies = new KeptForLastEmbedding<>();

	/** A decoder run on the image tensors of one call. */
	interface Body {
		void run(OnnxTensor[] image) throws OrtException, SamException;
	}

	/**
	 * Runs {@code body} on tensors over the copy of {@code tensors} (of {@code embedding}), closes
	 * them after, and reports a failure of ONNX Runtime as the decoder's.
	 */
	void decode(OrtEnvironment env, ImageEmbedding embedding, EmbeddingTensor[] tensors, Body body)
		throws SamException
	{
		OnnxTensor[] image = null;
		try {
			image = tensors(env, embedding, tensors);
			body.run(image);
		}
		catch (OrtException e) {
			throw new SamException("The mask decoder failed: " + SessionFactory.firstLine(e.getMessage()), e);
		}
		finally {
			if (image != null) close(image);
		}
	}

	/** Tensors of shape [1, C, H, W] over the copy of {@code tensors} (of {@code embedding}); close them. */
	OnnxTensor[] tensors(OrtEnvironment env, ImageEmbedding embedding, EmbeddingTensor... tensors)
		throws OrtException
	{
		FloatBuffer[] b = buffers(embedding, tensors);
		OnnxTensor[] out = new OnnxTensor[tensors.length];
		try {
			for (int i = 0; i < out.length; i++) {
				int[] s = tensors[i].shape();
				out[i] = OnnxTensor.createTensor(env, b[i], new long[] { 1, s[0], s[1], s[2] });
			}
			return out;
		}
		catch (OrtException | RuntimeException e) {
			close(out);
			throw e;
		}
	}

	private static void close(OnnxTensor... tensors) {
		for (OnnxTensor t : tensors)
			if (t != null) t.close();
	}

	private FloatBuffer[] buffers(ImageEmbedding embedding, EmbeddingTensor[] tensors) {
		FloatBuffer[] kept = copies.get(embedding, b -> b.length == tensors.length, () -> {
			FloatBuffer[] b = new FloatBuffer[tensors.length];
			for (int i = 0; i < b.length; i++)
				b[i] = KeptForLastEmbedding.directCopy(FloatBuffer.wrap(tensors[i].data()));
			return b;
		});
		FloatBuffer[] own = new FloatBuffer[kept.length];
		for (int i = 0; i < own.length; i++)
			own[i] = kept[i].duplicate(); // own position, same read-only-by-convention data
		return own;
	}
}
