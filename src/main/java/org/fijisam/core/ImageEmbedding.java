package org.fijisam.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The encoder output for one image plane, with the geometry needed to decode against it. It
 * is a set of named tensors (SAM 1: one, {@code image_embeddings}; SAM 2: the image embedding
 * and two high-resolution feature maps), opaque to everything but the model family that made
 * it: core caches and passes it on, the family's decoder reads the tensors by name.
 */
public final class ImageEmbedding {

	private final List<EmbeddingTensor> tensors;
	private final ResizeGeometry geometry;
	private final String key;

	public ImageEmbedding(List<EmbeddingTensor> tensors, ResizeGeometry geometry, String key) {
		if (tensors.isEmpty()) throw new IllegalArgumentException("an embedding needs at least one tensor");
		Set<String> names = new HashSet<>();
		for (EmbeddingTensor t : tensors)
			if (!names.add(t.name())) throw new IllegalArgumentException("two embedding tensors named " + t.name());
		this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
		this.geometry = geometry;
		this.key = key;
	}

	/** The tensors, in the order the family gave them. */
	public List<EmbeddingTensor> tensors() { return tensors; }

	/**
	 * The tensor called {@code name}.
	 * @throws IllegalArgumentException when there is none: an embedding of another family
	 */
	public EmbeddingTensor tensor(String name) {
		for (EmbeddingTensor t : tensors)
			if (t.name().equals(name)) return t;
		throw new IllegalArgumentException("The embedding has no tensor '" + name + "', only " + tensors +
			": it was made by another model family.");
	}

	public ResizeGeometry geometry() { return geometry; }

	/** Cache key: model, image content and geometry. */
	public String key() { return key; }

	public long bytes() {
		long n = 0;
		for (EmbeddingTensor t : tensors)
			n += t.bytes();
		return n;
	}
}
