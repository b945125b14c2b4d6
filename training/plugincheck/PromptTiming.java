import java.util.Random;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.MaskCandidate;
import org.fijisam.core.MaskSelection;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImage;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.Segmentation;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * One click through the plugin's API in steady state: SamPredictor.segment with all ambiguity
 * masks, then each mask at full resolution, on a random 1024 x 1024 16-bit image. Prints five
 * rounds of 20 clicks (the first rounds include the JIT's warm-up, which `sam-cli bench`'s
 * shorter loop does not get past for SAM 2's selection code).
 *
 *   mvn -B -q -o package -DskipTests && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt
 *   javac -d /tmp/plugincheck -cp "target/classes:$(cat cp.txt)" training/plugincheck/PromptTiming.java
 *   java -cp "target/classes:$(cat cp.txt):/tmp/plugincheck" PromptTiming MODEL_DIR
 */
public class PromptTiming {
	public static void main(String[] a) throws Exception {
		int size = 1024;
		short[] px = new short[size * size];
		Random r = new Random(1);
		for (int i = 0; i < px.length; i++)
			px[i] = (short) (1000 + r.nextInt(3000));
		try (SamModel m = Models.load(ModelSource.of(a[0]), ExecutionOptions.cpu())) {
			SamPredictor p = new SamPredictor(m, EmbeddingCache.disabled());
			SamImage img = SamImages.fromGrey(ArrayImgs.unsignedShorts(px, size, size), Normalization.auto());
			ImageEmbedding e = p.embed(img);
			Prompt one = Prompt.point(512.5, 512.5);
			for (int round = 0; round < 5; round++) {
				long t0 = System.nanoTime();
				Segmentation s = null;
				for (int i = 0; i < 20; i++)
					s = p.segment(e, one, MaskSelection.ALL);
				long t1 = System.nanoTime();
				for (int i = 0; i < 20; i++)
					for (MaskCandidate c : s.candidates())
						s.mask(c);
				long t2 = System.nanoTime();
				System.out.printf("click: decode %.1f ms + %d masks at full resolution %.1f ms%n", (t1 - t0) / 2e7,
					s.candidates().size(), (t2 - t1) / 2e7);
			}
		}
	}
}
