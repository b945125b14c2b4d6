package org.fijisam;

import java.net.URISyntaxException;
import java.nio.file.Path;

import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.model.ModelSource;
import org.fijisam.onnx.OnnxSamModel;

/** The fixture models of src/test/resources/fixtures (see the README there for their answers). */
public final class Fixtures {

	private Fixtures() {}

	public static Path folder(String name) {
		try {
			return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
		}
		catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	public static OnnxSamModel known() throws ModelException {
		return OnnxSamModel.load(ModelSource.folder(folder("known")), ExecutionOptions.cpu().withThreads(1));
	}

	public static OnnxSamModel knownWithoutBatch() throws ModelException {
		return OnnxSamModel.load(ModelSource.folder(folder("known-nobatch")), ExecutionOptions.cpu().withThreads(1));
	}

	/** A uniform grey image (already normalised values). */
	public static SamImage grey(int width, int height, float value) {
		float[] c = new float[width * height];
		java.util.Arrays.fill(c, value);
		return SamImages.ofNormalised(width, height, c, c, c);
	}
}
