package org.fijisam.ij;

import java.awt.Point;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ImageProcessor;

import org.fijisam.core.BinaryMask;
import org.fijisam.core.InvalidPromptException;

/**
 * ROIs to prompts. The rules (also in the README):
 * <ul>
 * <li>A point ROI holds foreground points, unless its name starts with "neg" (any case) or it
 * is in ROI group 2: then its points are background points, added to every object on the same
 * plane.</li>
 * <li>A rectangle is a box. Any other area ROI (oval, polygon, freehand, composite) is a box
 * around it, or a box plus a mask prompt ({@link AreaMode#MASK}).</li>
 * <li>Every ROI is one object; ROIs that share a group number (1 or 3..255) form one object
 * together (e.g. a box and a point).</li>
 * <li>Stacks: a ROI's slice/frame position is honoured (per point for multi-point ROIs with
 * positions). The current selection without a position uses the displayed plane; a ROI
 * Manager entry without a position on a stack is an error, because which plane it means is
 * unknown (set it with the ROI Manager's Properties, or tick "Associate with slices").</li>
 * </ul>
 */
public final class RoiPrompts {

	/** The ROI group that marks background points. */
	public static final int NEGATIVE_GROUP = 2;

	/** How area ROIs that are not rectangles are used. */
	public enum AreaMode {
		BOX, MASK;

		public static AreaMode parse(String text) {
			try {
				return valueOf(text.trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException e) {
				throw new IllegalArgumentException("Unknown area ROI use '" + text + "': use box or mask.");
			}
		}
	}

	private RoiPrompts() {}

	/** True when the ROI is a point ROI marking background points. */
	public static boolean isNegative(Roi roi) {
		if (!(roi instanceof PointRoi)) return false;
		String n = roi.getName();
		return roi.getGroup() == NEGATIVE_GROUP || n != null && n.toLowerCase(Locale.ROOT).startsWith("neg");
	}

	/**
	 * Reads ROIs into one prompt per object.
	 *
	 * @param currentPlaneIfUnpositioned true for the current selection (a ROI without a position
	 *          means the displayed plane), false for ROI Manager entries (it is an error)
	 */
	public static List<ObjectPrompt> read(ImagePlus imp, List<Roi> rois, AreaMode areaMode,
		boolean currentPlaneIfUnpositioned) throws InvalidPromptException
	{
		if (rois.isEmpty()) throw new InvalidPromptException(
			"No ROIs to use as prompts: draw points or boxes and add them to the ROI Manager (press t).");
		Map<String, ObjectPrompt> objects = new LinkedHashMap<>();
		List<double[]> negatives = new ArrayList<>(); // {x, y, z, t}
		int anonymous = 0;
		for (Roi roi : rois) {
			String label = roi.getName() != null ? roi.getName() : roi.getTypeAsString() + " " + (++anonymous);
			if (roi.isLine()) throw new InvalidPromptException("The line selection '" + label +
				"' cannot be a prompt: use points, rectangles or area selections.");
			if (roi instanceof PointRoi) {
				PointRoi pr = (PointRoi) roi;
				Point[] pts = pr.getContainedPoints();
				boolean neg = isNegative(roi);
				for (int i = 0; i < pts.length; i++) {
					int[] zt = plane(imp, roi, pr.getPointPosition(i), currentPlaneIfUnpositioned, label);
					double x = pts[i].x + 0.5, y = pts[i].y + 0.5;
					checkInside(imp, x, y, label);
					if (neg) negatives.add(new double[] { x, y, zt[0], zt[1] });
					else object(objects, roi, label, zt).addPoint(x, y, true);
				}
				continue;
			}
			int[] zt = plane(imp, roi, 0, currentPlaneIfUnpositioned, label);
			Rectangle r = roi.getBounds();
			if (r.x >= imp.getWidth() || r.y >= imp.getHeight() || r.x + r.width <= 0 || r.y + r.height <= 0)
				throw new InvalidPromptException("The ROI '" + label + "' lies outside the " + imp.getWidth() + "x" +
					imp.getHeight() + " image.");
			ObjectPrompt o = object(objects, roi, label, zt);
			if (o.box() != null) throw new InvalidPromptException("The ROI group of '" + label +
				"' has more than one box or area: SAM takes one box per object.");
			int x0 = Math.max(r.x, 0), y0 = Math.max(r.y, 0);
			int x1 = Math.min(r.x + r.width, imp.getWidth()), y1 = Math.min(r.y + r.height, imp.getHeight());
			o.setBox(x0, y0, x1, y1);
			if (areaMode == AreaMode.MASK && roi.getType() != Roi.RECTANGLE) o.setArea(rasterise(imp, roi));
		}
		if (objects.isEmpty()) throw new InvalidPromptException(
			"Only background (negative) points were given: add at least one foreground point or a box.");
		List<ObjectPrompt> out = new ArrayList<>(objects.values());
		for (double[] n : negatives)
			for (ObjectPrompt o : out)
				if (o.slice() == (int) n[2] && o.frame() == (int) n[3]) o.addPoint(n[0], n[1], false);
		return out;
	}

	private static ObjectPrompt object(Map<String, ObjectPrompt> objects, Roi roi, String label, int[] zt) {
		int g = roi.getGroup();
		String key = (g > 0 ? "group " + g : "roi " + System.identityHashCode(roi)) + "@" + zt[0] + "," + zt[1];
		String name = g > 0 ? "group " + g : label;
		return objects.computeIfAbsent(key, k -> new ObjectPrompt(name, zt[0], zt[1]));
	}

	private static void checkInside(ImagePlus imp, double x, double y, String label)
		throws InvalidPromptException
	{
		if (x < 0 || y < 0 || x > imp.getWidth() || y > imp.getHeight()) throw new InvalidPromptException(
			"A point of '" + label + "' at (" + (x - 0.5) + ", " + (y - 0.5) + ") lies outside the " + imp
				.getWidth() + "x" + imp.getHeight() + " image.");
	}

	/** {z, t} of a ROI (or of one point of a multi-point ROI, given its stack index). */
	static int[] plane(ImagePlus imp, Roi roi, int pointStackIndex, boolean currentIfNone, String label)
		throws InvalidPromptException
	{
		int nz = imp.getNSlices(), nt = imp.getNFrames();
		if (nz * nt == 1) return new int[] { 1, 1 };
		int z = 0, t = 0;
		int index = pointStackIndex > 0 ? pointStackIndex : roi.hasHyperStackPosition() ? 0 : roi.getPosition();
		// ImagePlus.convertIndexToPosition throws "n out of range" for these.
		if (index > imp.getStackSize()) throw new InvalidPromptException("The ROI '" + label + "' is on plane " +
			index + ", outside " + imp.getTitle() + ", which has " + imp.getStackSize() + " planes.");
		if (pointStackIndex > 0) {
			int[] czt = imp.convertIndexToPosition(pointStackIndex);
			z = czt[1];
			t = czt[2];
		}
		else if (roi.hasHyperStackPosition()) {
			z = roi.getZPosition();
			t = roi.getTPosition();
		}
		else if (roi.getPosition() > 0) {
			int[] czt = imp.convertIndexToPosition(roi.getPosition());
			z = czt[1];
			t = czt[2];
		}
		if (nz == 1) z = 1;
		if (nt == 1) t = 1;
		if (z == 0 || t == 0) {
			if (!currentIfNone) throw new InvalidPromptException("The ROI '" + label + "' has no " +
				(z == 0 ? "slice" : "frame") + " position, but " + imp.getTitle() + " has " + nz + " slices and " +
				nt + " frames, so the plane it belongs to is unknown. Set its position (ROI Manager > " +
				"Properties, or More > Options > Associate with slices before adding) or use the current " +
				"selection instead.");
			if (z == 0) z = imp.getZ();
			if (t == 0) t = imp.getT();
		}
		if (z > nz || t > nt) throw new InvalidPromptException("The ROI '" + label + "' is on z=" + z + ", t=" +
			t + ", outside " + imp.getTitle() + ".");
		return new int[] { z, t };
	}

	/** The pixels inside an area ROI, as a full-image mask. */
	static BinaryMask rasterise(ImagePlus imp, Roi roi) {
		int w = imp.getWidth(), h = imp.getHeight();
		byte[] data = new byte[w * h];
		Rectangle r = roi.getBounds();
		ImageProcessor m = roi.getMask();
		for (int y = 0; y < r.height; y++) {
			int yy = r.y + y;
			if (yy < 0 || yy >= h) continue;
			for (int x = 0; x < r.width; x++) {
				int xx = r.x + x;
				if (xx < 0 || xx >= w) continue;
				if (m == null || m.get(x, y) != 0) data[yy * w + xx] = 1;
			}
		}
		return new BinaryMask(w, h, data);
	}
}
