import ai.onnxruntime.*;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.*;
import java.util.*;

/**
 * Times one click (a foreground point + padding) through the mask-free batch decoder of a
 * converted SAM 1 folder, as the plugin runs it: with decoder_image_side.onnx present, the image
 * side runs once first (its time printed) and each click feeds its outputs; without it (models
 * converted before), each click feeds image_embeddings. Random embedding, RUNS clicks after 3
 * warm-up ones; prints wall and process CPU milliseconds per click.
 *
 *   java -cp $J:/tmp/ortcheck ClickTiming MODEL_DIR [RUNS [THREADS]]
 */
public class ClickTiming {
    public static void main(String[] a) throws Exception {
        File dir = new File(a[0]);
        int runs = a.length > 1 ? Integer.parseInt(a[1]) : 100;
        int threads = a.length > 2 ? Integer.parseInt(a[2]) : 2;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        OrtSession decoder = env.createSession(new File(dir, "decoder_batch_no_mask.onnx").getPath(), so);
        Random r = new Random(1);
        float[] emb = new float[256 * 64 * 64];
        for (int i = 0; i < emb.length; i++) emb[i] = (float) r.nextGaussian();
        OnnxTensor embedding = OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] { 1, 256, 64, 64 });
        Map<String, OnnxTensor> in = new HashMap<>();
        File sideFile = new File(dir, "decoder_image_side.onnx");
        if (sideFile.exists()) {
            OrtSession side = env.createSession(sideFile.getPath(), so);
            long t0 = System.nanoTime();
            OrtSession.Result result = side.run(Collections.singletonMap("image_embeddings", embedding));
            System.out.printf("image side, once per image: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            for (Map.Entry<String, OnnxValue> v : result) in.put(v.getKey(), (OnnxTensor) v.getValue());
        }
        else in.put("image_embeddings", embedding);
        in.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] { 400.5f, 300.5f, 0, 0 }),
            new long[] { 1, 2, 2 }));
        in.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] { 1, -1 }),
            new long[] { 1, 2 }));
        for (int i = 0; i < 3; i++) decoder.run(in).close();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) decoder.run(in).close();
        System.out.printf("one click: %.2f ms wall, %.2f ms CPU (%d threads, %d clicks)%n",
            (System.nanoTime() - t0) / 1e6 / runs, (os.getProcessCpuTime() - c0) / 1e6 / runs, threads, runs);
    }
}
