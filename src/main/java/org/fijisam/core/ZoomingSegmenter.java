package org.fijisam.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompted segmentation that zooms in on small objects (see {@link ObjectZoom}): each object is
 * first located in the whole image (a box prompt already says where it is), then, when it is
 * small there, decoded again in the embedding of a window around it. A mask that reaches the
 * inner edge of its window was cut by it: the window doubles until the object fits or the
 * whole image is the better view.
 */
public final class ZoomingSegmenter {

	/** How often a window may double before the whole image is used. */
	private static final int MAX_ENLARGEMENTS = 2;

	private final SamPredictor predictor;
	private final ObjectZoom zoom;

	public ZoomingSegmenter(SamPredictor predictor, ObjectZoom zoom) {
		this.predictor = predictor;
		this.zoom = zoom;
	}

	public ObjectZoom zoom() { return zoom; }

	/** First prompts of objects in an image; {@code whole} is the embedding of the whole image. */
	public List<Segmentation> segment(SamImage image, ImageEmbedding whole, List<Prompt> prompts,
		MaskSelection selection) throws SamException
	{
		EmbeddedWindow full = EmbeddedWindow.whole(whole);
		if (zoom.isOff()) return predictor.segment(full, prompts, selection);
		List<Segmentation> first = predictor.segment(full, prompts, selection);
		List<Segmentation> out = new ArrayList<>(prompts.size());
		for (int i = 0; i < prompts.size(); i++)
			out.add(zoomIn(image, prompts.get(i), first.get(i), selection));
		return out;
	}

	/**
	 * The next prompts of the same objects (e.g. {@code previous.refine()} plus a corrective
	 * point), decoded in each object's previous window when they fit it, else located afresh.
	 */
	public List<Segmentation> refine(SamImage image, ImageEmbedding whole, List<Segmentation> previous,
		List<Prompt> next, MaskSelection selection) throws SamException
	{
		Segmentation[] out = new Segmentation[next.size()];
		// Prompts that share a view are decoded in one batch.
		Map<EmbeddedWindow, List<Integer>> byView = new IdentityHashMap<>();
		for (int i = 0; i < next.size(); i++) {
			EmbeddedWindow view = previous.get(i).view();
			Prompt p = next.get(i);
			if (view.fits(p)) byView.computeIfAbsent(view, v -> new ArrayList<>()).add(i);
			else out[i] = segment(image, whole, single(p.withoutMaskInput()), selection).get(0);
		}
		for (Map.Entry<EmbeddedWindow, List<Integer>> e : byView.entrySet()) {
			List<Prompt> batch = new ArrayList<>(e.getValue().size());
			for (int i : e.getValue())
				batch.add(next.get(i));
			List<Segmentation> segs = predictor.segment(e.getKey(), batch, selection);
			for (int k = 0; k < segs.size(); k++)
				out[e.getValue().get(k)] = segs.get(k);
		}
		return Arrays.asList(out);
	}

	private Segmentation zoomIn(SamImage image, Prompt prompt, Segmentation first, MaskSelection selection)
		throws SamException
	{
		double[] extent = extent(prompt, first);
		if (extent == null) return first;
		int w = image.width(), h = image.height();
		ImageWindow window = zoom.windowFor(w, h, extent[0], extent[1], extent[2], extent[3]);
		Prompt local = prompt.withoutMaskInput();
		for (int attempt = 0; window != null && attempt <= MAX_ENLARGEMENTS; attempt++) {
			EmbeddedWindow view = predictor.embed(image, window);
			if (!view.fits(local)) return first;
			Segmentation s = predictor.segment(view, single(local), selection).get(0);
			if (!touchesInnerEdge(s.maskInView(s.best()), window, w, h)) return s;
			window = zoom.enlarged(w, h, window);
		}
		return first;
	}

	/** The object's extent {x0, y0, x1, y1}: the box, the points, the first mask; null if nothing. */
	private static double[] extent(Prompt prompt, Segmentation first) {
		double x0 = Double.POSITIVE_INFINITY, y0 = x0, x1 = Double.NEGATIVE_INFINITY, y1 = x1;
		Box b = prompt.box();
		if (b != null) {
			x0 = b.x0;
			y0 = b.y0;
			x1 = b.x1;
			y1 = b.y1;
		}
		for (Prompt.Point p : prompt.points()) {
			x0 = Math.min(x0, p.x);
			y0 = Math.min(y0, p.y);
			x1 = Math.max(x1, p.x);
			y1 = Math.max(y1, p.y);
		}
		// A box bounds the object already; otherwise the first mask says how far it reaches.
		if (b == null) {
			int[] bb = first.bestMask().boundingBox();
			if (bb != null) {
				x0 = Math.min(x0, bb[0]);
				y0 = Math.min(y0, bb[1]);
				x1 = Math.max(x1, bb[0] + bb[2]);
				y1 = Math.max(y1, bb[1] + bb[3]);
			}
		}
		return x0 > x1 ? null : new double[] { x0, y0, x1, y1 };
	}

	/** True when the mask has a pixel on an edge of the window that is not an edge of the image. */
	static boolean touchesInnerEdge(BinaryMask m, ImageWindow win, int imageWidth, int imageHeight) {
		int mw = m.width(), mh = m.height();
		boolean left = win.x > 0, top = win.y > 0;
		boolean right = win.x + win.width < imageWidth, bottom = win.y + win.height < imageHeight;
		for (int x = 0; x < mw; x++)
			if (top && m.get(x, 0) || bottom && m.get(x, mh - 1)) return true;
		for (int y = 0; y < mh; y++)
			if (left && m.get(0, y) || right && m.get(mw - 1, y)) return true;
		return false;
	}

	private static List<Prompt> single(Prompt p) {
		List<Prompt> one = new ArrayList<>(1);
		one.add(p);
		return one;
	}
}
