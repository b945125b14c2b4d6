import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.imglib2.img.array.ArrayImgs;

import org.fijisam.core.DecoderPrompt;
import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ExecutionOptions;
import org.fijisam.core.ImageEmbedding;
import org.fijisam.core.Normalization;
import org.fijisam.core.Prompt;
import org.fijisam.core.SamImages;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * Segment everything's decoding alone, model folders side by side in one process: 1024 point
 * prompts as 16 calls of 64 (as the generator calls the decoder), the folders taken in turn
 * round after round so that a noisy neighbour hits them alike. Prints each folder's median.
 *
 *   javac -d /tmp/plugincheck -cp "target/classes:$(cat cp.txt)" training/plugincheck/DecodeManyTiming.java
 *   java -cp "target/classes:$(cat cp.txt):/tmp/plugincheck" -Drounds=5 DecodeManyTiming DIR_A DIR_B
 */
public class DecodeManyTiming {
	public static void main(String[] a) throws Exception {
		int rounds = Integer.getInteger("rounds", 4);
		List<SamModel> models = new ArrayList<>();
		List<ImageEmbedding> embeddings = new ArrayList<>();
		List<List<DecoderPrompt>> prompts = new ArrayList<>();
		int size = 1024;
		short[] px = new short[size * size];
		Random r = new Random(1);
		for (int i = 0; i < px.length; i++)
			px[i] = (short) (1000 + r.nextInt(3000));
		for (String dir : a) {
			SamModel model = Models.load(ModelSource.folder(Paths.get(dir)), ExecutionOptions.cpu());
			SamPredictor p = new SamPredictor(model, EmbeddingCache.disabled());
			ImageEmbedding emb = p.embed(SamImages.fromGrey(ArrayImgs.unsignedShorts(px, size, size), Normalization
				.auto()));
			List<DecoderPrompt> batch = new ArrayList<>();
			for (int i = 0; i < 64; i++)
				batch.add(DecoderPrompt.encode(Prompt.point(16 + (i * 37) % 1000, 16 + (i * 91) % 1000), emb.geometry(),
					model.spec().lowResSize(), model.spec().promptEncoding()));
			model.decoder().decode(emb, batch); // warm-up
			models.add(model);
			embeddings.add(emb);
			prompts.add(batch);
		}
		double[][] ms = new double[a.length][rounds];
		for (int k = 0; k < rounds; k++)
			for (int m = 0; m < a.length; m++) {
				long t0 = System.nanoTime();
				for (int c = 0; c < 16; c++)
					models.get(m).decoder().decode(embeddings.get(m), prompts.get(m));
				ms[m][k] = (System.nanoTime() - t0) / 1e6;
			}
		for (int m = 0; m < a.length; m++) {
			double[] sorted = ms[m].clone();
			Arrays.sort(sorted);
			System.out.printf("%-40s 1024 prompts: median %.0f ms %s%n", a[m], sorted[rounds / 2], Arrays.toString(
				ms[m]));
		}
		for (SamModel m : models)
			m.close();
	}
}
