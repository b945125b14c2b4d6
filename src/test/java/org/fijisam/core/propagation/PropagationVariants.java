package org.fijisam.core.propagation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ImageProcessor;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.ij.ImagePlusPlanes;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * Not a test: 3D IoU per object on test-images/zstack.tif (one click per object on slice 7,
 * as PropagateCliTest) for each prompt rule, with the built-in model. Run like
 * PropagationBenchmark, with {@code PropagationVariants [STACK TRUTH START]}; a time series
 * (frames, one slice) is followed through t, e.g.
 * {@code PropagationVariants test-images/movie.tif test-images/movie-labels.tif 3}.
 */
public final class PropagationVariants {

	public static void main(String[] args) throws Exception {
		String stack = args.length > 0 ? args[0] : "test-images/zstack.tif";
		String truthFile = args.length > 1 ? args[1] : "test-images/zstack-labels.tif";
		int start = args.length > 2 ? Integer.parseInt(args[2]) : 7;
		ImagePlus imp = IJ.openImage(stack), truth = IJ.openImage(truthFile);
		Map<String, PropagationRules> variants = new LinkedHashMap<>();
		variants.put("default (moved deepest point)", PropagationRules.defaults());
		variants.put("overlap with the previous mask unmoved", PropagationRules.builder().overlapAfterMove(false).build());
		variants.put("no probe of the first move", PropagationRules.builder().probeFirstMove(false).build());
		if (System.getenv("ONLY_NEW") == null) {
		variants.put("recentred", PropagationRules.builder().recentre(true).build());
		variants.put("recentred + closest", PropagationRules.builder().recentre(true).closestMask(true).build());
		variants.put("closest candidate", PropagationRules.builder().closestMask(true).build());
		variants.put("logits + closest", PropagationRules.builder().maskPrompt(true).closestMask(true).build());
		variants.put("logits", PropagationRules.builder().maskPrompt(true).build());
		variants.put("box + closest", PropagationRules.builder().box(true).closestMask(true).build());
		variants.put("every piece of the mask", PropagationRules.builder().largestPiece(false).build());
		variants.put("without the move", PropagationRules.builder().followMotion(false).build());
		}
		try (SamModel model = Models.load(ModelSource.of(null), ExecutionOptions.cpu())) {
			SamPredictor predictor = new SamPredictor(model, EmbeddingCache.inMemory(1L << 30));
			boolean movie = imp.getNFrames() > 1 && imp.getNSlices() == 1;
			ImagePlusPlanes source = ImagePlusPlanes.along(imp, movie ? ImagePlusPlanes.Axis.T : ImagePlusPlanes.Axis.Z,
				movie ? 1 : start, movie ? start : 1, null, Normalization.auto().forModel(model.spec()), null);
			ImageProcessor startTruth = truth.getStack().getProcessor(start);
			int n = (int) startTruth.getStatistics().max;
			ImageEmbedding e = predictor.embed(source.plane(start - 1));
			for (Map.Entry<String, PropagationRules> v : variants.entrySet()) {
				List<StartObject> objects = new ArrayList<>();
				for (int label = 1; label <= n; label++) {
					double[] c = centre(startTruth, label);
					objects.add(StartObject.of(label, predictor.segment(e, Prompt.point(c[0], c[1]), MaskSelection.AUTO)));
				}
				PropagationResult r = new ObjectPropagator(predictor, v.getValue()).propagate(source, start - 1, objects,
					null, null);
				StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-32s", v.getKey()));
				for (PropagatedObject o : r.objects())
					line.append(String.format(Locale.ROOT, " %.3f", iou3d(o, truth)));
				System.out.println(line);
				if (System.getenv("DETAIL") != null)
					for (PropagatedObject o : r.objects()) System.out.println("   " + perPlane(o, truth));
			}
			System.out.println(oracle(predictor, source, truth, n));
		}
	}

	/**
	 * What one point per plane can reach at best with this model: a click at the true centre of
	 * every object on every plane where it is, nothing where it is not (a perfect stop). No
	 * propagation rule can do better with one point per plane.
	 */
	private static String oracle(SamPredictor predictor, ImagePlusPlanes source, ImagePlus truth, int n)
		throws Exception
	{
		long[] inter = new long[n + 1], union = new long[n + 1];
		for (int z = 1; z <= truth.getStackSize(); z++) {
			ImageProcessor t = truth.getStack().getProcessor(z);
			ImageEmbedding e = predictor.embed(source.plane(z - 1));
			for (int label = 1; label <= n; label++) {
				BinaryMask m = null;
				if (t.getStatistics().max >= label && present(t, label)) {
					double[] c = centre(t, label);
					m = predictor.segment(e, Prompt.point(c[0], c[1]), MaskSelection.AUTO).bestMask();
				}
				for (int i = 0; i < t.getPixelCount(); i++) {
					boolean a = m != null && m.data()[i] != 0, b = (int) t.getf(i) == label;
					if (a && b) inter[label]++;
					if (a || b) union[label]++;
				}
			}
		}
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-32s", "oracle (true centre, each plane)"));
		for (int label = 1; label <= n; label++)
			line.append(String.format(Locale.ROOT, " %.3f", union[label] == 0 ? 0 : inter[label] / (double) union[label]));
		return line.toString();
	}

	private static ImageProcessor t0(ImagePlus truth, int z) {
		return truth.getStack().getProcessor(z);
	}

	private static boolean present(ImageProcessor t, int label) {
		for (int i = 0; i < t.getPixelCount(); i++)
			if ((int) t.getf(i) == label) return true;
		return false;
	}

	private static double[] centre(ImageProcessor truth, int label) {
		double sx = 0, sy = 0;
		int n = 0;
		for (int y = 0; y < truth.getHeight(); y++)
			for (int x = 0; x < truth.getWidth(); x++)
				if ((int) truth.getf(x, y) == label) {
					sx += x + 0.5;
					sy += y + 0.5;
					n++;
				}
		return new double[] { sx / n, sy / n };
	}

	/** Per-plane IoU with the truth ('-' where neither has the object) and the stop reasons. */
	private static String perPlane(PropagatedObject o, ImagePlus truth) {
		StringBuilder b = new StringBuilder("object " + o.label() + ":");
		for (int z = 1; z <= truth.getStackSize(); z++) {
			ImageProcessor t = truth.getStack().getProcessor(z);
			BinaryMask m = o.mask(z - 1);
			long inter = 0, union = 0;
			for (int i = 0; i < t.getPixelCount(); i++) {
				boolean a = m != null && m.data()[i] != 0, c = (int) t.getf(i) == o.label();
				if (a && c) inter++;
				if (a || c) union++;
			}
			b.append(union == 0 ? " -" : String.format(Locale.ROOT, " %.2f", inter / (double) union));
			if (System.getenv("CENTRES") != null && union > 0) {
				double[] c = m == null || m.area() == 0 ? new double[] { -1, -1 } : NeighbourPrompt.centroid(m);
				double[] tc = present(t0(truth, z), o.label()) ? centre(t0(truth, z), o.label()) : new double[] { -1, -1 };
				b.append(String.format(Locale.ROOT, "(%.0f,%.0f|%.0f,%.0f)", c[0], c[1], tc[0], tc[1]));
			}
		}
		return b + " | " + o.stop(Direction.BACKWARD) + " ; " + o.stop(Direction.FORWARD);
	}

	private static double iou3d(PropagatedObject o, ImagePlus truth) {
		long inter = 0, union = 0;
		for (int z = 1; z <= truth.getStackSize(); z++) {
			ImageProcessor t = truth.getStack().getProcessor(z);
			BinaryMask m = o.mask(z - 1);
			for (int i = 0; i < t.getPixelCount(); i++) {
				boolean a = m != null && m.data()[i] != 0, b = (int) t.getf(i) == o.label();
				if (a && b) inter++;
				if (a || b) union++;
			}
		}
		return union == 0 ? 0 : inter / (double) union;
	}
}
