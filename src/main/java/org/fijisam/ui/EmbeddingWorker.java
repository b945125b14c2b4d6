package org.fijisam.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ij.IJ;
import ij.ImagePlus;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.Normalization;
import org.fijisam.core.SamPredictor;
import org.fijisam.ij.ImagePlusAdapter;

/**
 * Computes image embeddings on one background thread, one per plane, and remembers the
 * pending and finished ones, so that changing slice never blocks the user interface and a plane
 * is encoded once. Progress goes to the status bar.
 */
final class EmbeddingWorker implements AutoCloseable {

	private static final int REMEMBERED = 16;

	private final SamPredictor predictor;
	private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "SAM embedding");
		t.setDaemon(true);
		return t;
	});
	private final Map<String, CompletableFuture<ImageEmbedding>> planes = new LinkedHashMap<String,
		CompletableFuture<ImageEmbedding>>(16, 0.75f, true)
	{
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<ImageEmbedding>> e) {
			return size() > REMEMBERED;
		}
	};

	EmbeddingWorker(SamPredictor predictor) {
		this.predictor = predictor;
	}

	SamPredictor predictor() {
		return predictor;
	}

	/** The embedding of a plane: done at once when known, else computed in the background. */
	synchronized CompletableFuture<ImageEmbedding> embedding(ImagePlus imp, int z, int t) {
		String key = imp.getID() + ":" + z + ":" + t;
		CompletableFuture<ImageEmbedding> f = planes.get(key);
		if (f != null && !f.isCompletedExceptionally()) return f;
		CompletableFuture<ImageEmbedding> created = new CompletableFuture<>();
		planes.put(key, created);
		executor.execute(() -> {
			IJ.showStatus("Segment Anything: computing the embedding of " + imp.getTitle() + (imp
				.getStackSize() > 1 ? " (z=" + z + ", t=" + t + ")" : "") + "...");
			IJ.showProgress(0.1);
			long t0 = System.nanoTime();
			try {
				ImageEmbedding e = predictor.embed(ImagePlusAdapter.toSamImage(imp, z, t, (ChannelMapping) null,
					Normalization.auto().forModel(predictor.spec())));
				created.complete(e);
				IJ.showStatus(String.format(java.util.Locale.ROOT,
					"Segment Anything: ready (embedding %.1f s) - click an object", (System.nanoTime() - t0) / 1e9));
			}
			catch (Exception | OutOfMemoryError e) {
				created.completeExceptionally(e);
				IJ.showStatus("Segment Anything: " + e.getMessage());
			}
			finally {
				IJ.showProgress(1.0);
			}
		});
		return created;
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}
}
