package org.fijisam.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;

import org.fijisam.ij.ImageFiles;
import org.fijisam.ij.SpooledLabelStack;

/**
 * NAME_labels.tif: one label per object, 16-bit, or 32-bit when the image has more than 65,535
 * labels (never wrapped); a label stack with the image's z/t layout and calibration for stacks.
 * Planes are spooled to disk while they come, so a long stack needs the memory of one plane.
 */
public final class LabelTiffWriter implements ResultWriter {

	public static final String SUFFIX = "_labels.tif";

	@Override
	public String what() {
		return "label image";
	}

	@Override
	public List<String> fileNames(String base) {
		return List.of(base + SUFFIX);
	}

	@Override
	public ImageSink open(ImageTarget t) throws IOException {
		SpooledLabelStack labels = new SpooledLabelStack(t.image().getWidth(), t.image().getHeight(), t.dir());
		return new ImageSink() {
			@Override
			public void plane(PlaneResult p) throws IOException {
				labels.add(p.labels());
			}

			@Override
			public List<Path> finish() throws IOException {
				ImagePlus result = labels.toImagePlus(t.base() + "_labels");
				if (t.planes() > 1) result.setDimensions(1, t.image().getNSlices(), t.image().getNFrames());
				result.setCalibration(t.image().getCalibration().copy());
				Path file = t.file(t.base() + SUFFIX);
				ImageFiles.saveTiff(result, file);
				return List.of(file);
			}

			@Override
			public void close() throws IOException {
				labels.close();
			}
		};
	}
}
