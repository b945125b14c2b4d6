package org.fijisam.core.amg;

/**
 * One row of the object table: label, area, bounding box, centroid (pixel centres at +0.5,
 * ImageJ's convention) and the scores of the mask the object came from.
 */
public final class ObjectStats {

	public final int label;
	public final long area;
	public final int bboxX, bboxY, bboxWidth, bboxHeight;
	public final double centroidX, centroidY;
	public final float predictedIou;
	public final float stabilityScore;

	public ObjectStats(int label, long area, int bboxX, int bboxY, int bboxWidth, int bboxHeight, double centroidX,
		double centroidY, float predictedIou, float stabilityScore)
	{
		this.label = label;
		this.area = area;
		this.bboxX = bboxX;
		this.bboxY = bboxY;
		this.bboxWidth = bboxWidth;
		this.bboxHeight = bboxHeight;
		this.centroidX = centroidX;
		this.centroidY = centroidY;
		this.predictedIou = predictedIou;
		this.stabilityScore = stabilityScore;
	}

	/** The same row under another label (linking across slices). */
	public ObjectStats withLabel(int newLabel) {
		return new ObjectStats(newLabel, area, bboxX, bboxY, bboxWidth, bboxHeight, centroidX, centroidY,
			predictedIou, stabilityScore);
	}

	@Override
	public String toString() {
		return "object " + label + ": area " + area + ", bbox [" + bboxX + ", " + bboxY + ", " + bboxWidth + ", " +
			bboxHeight + "]";
	}
}
