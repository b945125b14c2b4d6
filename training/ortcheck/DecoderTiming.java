import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * Times a batch decoder (decoder_batch.onnx) in ONNX Runtime Java: milliseconds per prompt for B
 * prompts of 2 points (a foreground point + padding) on a random embedding, as RUNS concurrent
 * runs of B / RUNS prompts each (RUNS > 1 uses single-threaded sessions, as the plugin does for
 * large calls; RUNS = 1 one run on THREADS threads). With PROFILE, writes an ONNX Runtime profile
 * (JSON, per operator) with that file prefix.
 *
 *   java -cp $J:/tmp/ortcheck DecoderTiming DIR/decoder_batch.onnx B [RUNS [THREADS [PROFILE]]]
 */
public class DecoderTiming {
    public static void main(String[] a) throws Exception {
        String model = a[0];
        int b = Integer.parseInt(a[1]);
        int runs = a.length > 2 ? Integer.parseInt(a[2]) : 1;
        int threads = a.length > 3 ? Integer.parseInt(a[3]) : 2;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(runs > 1 ? 1 : threads);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (a.length > 4) so.enableProfiling(a[4]);
        OrtSession s = env.createSession(model, so);
        int per = b / runs, l = 256, n = 2;
        Random r = new Random(0);
        float[] emb = new float[256 * 64 * 64];
        for (int i = 0; i < emb.length; i++) emb[i] = (float) r.nextGaussian();
        float[] pc = new float[per * n * 2];
        for (int i = 0; i < pc.length; i++) pc[i] = r.nextFloat() * 1024;
        float[] pl = new float[per * n];
        for (int i = 0; i < per; i++) { pl[i * n] = 1; pl[i * n + 1] = -1; }
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] { 1, 256, 64, 64 }));
        in.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(pc), new long[] { per, n, 2 }));
        in.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(pl), new long[] { per, n }));
        in.put("mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[per * l * l]), new long[] { per, 1, l, l }));
        in.put("has_mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[per]), new long[] { per }));
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        int reps = Math.max(5, 64 / b);
        double[] ms = new double[reps];
        for (int rep = -2; rep < reps; rep++) { // 2 warm-up rounds
            long t = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int k = 0; k < runs; k++) fs.add(pool.submit(() -> { try (OrtSession.Result res = s.run(in)) {} return null; }));
            for (Future<?> f : fs) f.get();
            if (rep >= 0) ms[rep] = (System.nanoTime() - t) / 1e6 / b;
        }
        pool.shutdown();
        Arrays.sort(ms);
        System.out.printf("%s: B=%d as %d run(s): median %.2f ms per prompt%n", model, b, runs, ms[reps / 2]);
        if (a.length > 4) System.out.println("profile: " + s.endProfiling());
    }
}
