import java.nio.file.Files;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * Benchmark input: N single-plane 8-bit TIFFs of SIZE x SIZE px cut from test-images/mosaic.png
 * at different places (the same N planes for every run and every tool).
 * Run: java -cp target/sam-cli.jar spark/scripts/MakePlanes.java OUT_DIR N SIZE
 */
public class MakePlanes {
	public static void main(String[] args) throws Exception {
		Path out = Files.createDirectories(Path.of(args[0]));
		int n = Integer.parseInt(args[1]), size = Integer.parseInt(args[2]);
		ImagePlus mosaic = IJ.openImage("test-images/mosaic.png");
		if (mosaic == null) throw new IllegalStateException("run from the repository root (test-images/mosaic.png)");
		int cols = Math.max(1, (mosaic.getWidth() - size) / 37), rows = Math.max(1, (mosaic.getHeight() - size) / 37);
		for (int i = 0; i < n; i++) {
			int x = (i % cols) * 37 % Math.max(1, mosaic.getWidth() - size);
			int y = (i / cols % rows) * 37 % Math.max(1, mosaic.getHeight() - size);
			mosaic.setRoi(x, y, size, size);
			ImagePlus crop = mosaic.crop();
			if (crop.getBitDepth() != 8) crop = new ImagePlus("plane", crop.getProcessor().convertToByte(true));
			new FileSaver(crop).saveAsTiff(out.resolve(String.format("plane-%03d.tif", i)).toString());
		}
	}
}
