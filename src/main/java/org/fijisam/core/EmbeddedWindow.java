package org.fijisam.core;

/**
 * The embedding of a window of an image, and where that window lies: prompts given in the
 * whole image's coordinates are shifted into it, masks decoded in it are placed back.
 * The window may be the whole image.
 */
public final class EmbeddedWindow {

	private final ImageEmbedding embedding;
	private final ImageWindow window;
	private final int imageWidth, imageHeight;

	public EmbeddedWindow(ImageEmbedding embedding, ImageWindow window, int imageWidth, int imageHeight) {
		if (embedding.geometry().width() != window.width || embedding.geometry().height() != window.height)
			throw new IllegalArgumentException("the embedding is of a " + embedding.geometry().width() + "x" +
				embedding.geometry().height() + " image, the window " + window);
		this.embedding = embedding;
		this.window = window;
		this.imageWidth = imageWidth;
		this.imageHeight = imageHeight;
	}

	/** The whole embedded image as its own window. */
	public static EmbeddedWindow whole(ImageEmbedding embedding) {
		ResizeGeometry g = embedding.geometry();
		return new EmbeddedWindow(embedding, new ImageWindow(0, 0, g.width(), g.height()), g.width(), g.height());
	}

	public ImageEmbedding embedding() { return embedding; }

	public ImageWindow window() { return window; }

	public int imageWidth() { return imageWidth; }

	public int imageHeight() { return imageHeight; }

	public boolean isWholeImage() {
		return window.width == imageWidth && window.height == imageHeight;
	}

	/** True when every point and the box of the prompt lie inside the window. */
	public boolean fits(Prompt p) {
		for (Prompt.Point q : p.points())
			if (!window.contains(q.x, q.y)) return false;
		Box b = p.box();
		return b == null || window.contains(b.x0, b.y0) && window.contains(b.x1, b.y1);
	}

	/** A mask decoded in the window, placed into an image-sized mask. */
	BinaryMask placeInImage(BinaryMask inWindow) {
		if (isWholeImage()) return inWindow;
		byte[] out = new byte[imageWidth * imageHeight];
		byte[] src = inWindow.data();
		for (int row = 0; row < window.height; row++)
			System.arraycopy(src, row * window.width, out, (window.y + row) * imageWidth + window.x, window.width);
		return new BinaryMask(imageWidth, imageHeight, out);
	}
}
