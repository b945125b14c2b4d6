package org.fijisam.onnx;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.fijisam.core.ImageEmbedding;

/**
 * One value made from an embedding and kept for the last embedding it was asked for: the
 * clicks on one image (and the batches of segment everything) then reuse it. Only the last is
 * kept, and weakly: it goes when the caller drops the embedding. Embeddings are never modified
 * after creation, so identity tells whether the value is current.
 */
final class KeptForLastEmbedding<T> {

	/** Makes the value for a new embedding. */
	interface Maker<T, E extends Exception> {
		T make() throws E;
	}

	private WeakReference<ImageEmbedding> last = new WeakReference<>(null);
	private T value;

	/** The value for {@code embedding}, made by {@code maker} unless it is the last one's. */
	<E extends Exception> T get(ImageEmbedding embedding, Maker<T, E> maker) throws E {
		return get(embedding, v -> true, maker);
	}

	/** As {@link #get(ImageEmbedding, Maker)}, also making it again when the kept value does not {@code fit}. */
	synchronized <E extends Exception> T get(ImageEmbedding embedding, java.util.function.Predicate<T> fits,
		Maker<T, E> maker) throws E
	{
		if (last.get() != embedding || value == null || !fits.test(value)) {
			value = maker.make();
			last = new WeakReference<>(embedding);
		}
		return value;
	}

	/**
	 * A copy of {@code data} (from its position) in a direct, native-order buffer, which ONNX
	 * Runtime reads in place: Java has no IO binding, so every tensor made from heap data copies it.
	 */
	static FloatBuffer directCopy(FloatBuffer data) {
		FloatBuffer copy = ByteBuffer.allocateDirect(4 * data.remaining()).order(ByteOrder.nativeOrder())
			.asFloatBuffer();
		copy.put(data.duplicate()).rewind();
		return copy;
	}
}
