package org.fijisam.core.amg;

/**
 * One mask found by automatic generation, with the fields of SAM's output record: the mask
 * (image frame), area, bbox (XYWH), predicted IoU, the prompt point, stability score and the
 * crop it came from (XYWH).
 */
public final class GeneratedMask implements java.io.Serializable {

	// Serializable: a cluster node sends what it computed to the node that writes the outputs.
	private static final long serialVersionUID = 1L;

	private final LocalMask mask;
	private final float predictedIou;
	private final float stabilityScore;
	private final double pointX;
	private final double pointY;
	private final int[] cropBox;

	public GeneratedMask(LocalMask mask, float predictedIou, float stabilityScore, double pointX, double pointY,
		int[] cropBox)
	{
		this.mask = mask;
		this.predictedIou = predictedIou;
		this.stabilityScore = stabilityScore;
		this.pointX = pointX;
		this.pointY = pointY;
		this.cropBox = cropBox.clone();
	}

	/** The segmentation, in the image frame. */
	public LocalMask mask() { return mask; }

	public int area() { return mask.area(); }

	/** {x, y, width, height} of the set pixels. */
	public int[] bbox() { return mask.xywh(); }

	public float predictedIou() { return predictedIou; }

	public float stabilityScore() { return stabilityScore; }

	/** The grid point that prompted this mask, in image pixels. */
	public double[] pointCoords() { return new double[] { pointX, pointY }; }

	/** {x, y, width, height} of the crop (whole image for crop layer 0). */
	public int[] cropBox() { return cropBox.clone(); }

	/** The same record with another mask (after cleanup or a tile merge). */
	public GeneratedMask withMask(LocalMask m) {
		return new GeneratedMask(m, predictedIou, stabilityScore, pointX, pointY, cropBox);
	}

	/** Moved by (dx, dy): a tile's result placed in the whole image. */
	public GeneratedMask translate(int dx, int dy) {
		int[] c = cropBox.clone();
		c[0] += dx;
		c[1] += dy;
		return new GeneratedMask(mask.translate(dx, dy), predictedIou, stabilityScore, pointX + dx, pointY + dy, c);
	}

	@Override
	public String toString() {
		return "GeneratedMask[" + mask + ", iou " + predictedIou + ", stability " + stabilityScore + "]";
	}
}
