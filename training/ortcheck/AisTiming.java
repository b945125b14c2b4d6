import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;

/**
 * Times an instance decoder (instance_decoder.onnx, AIS) in ONNX Runtime Java on THREADS intra-op
 * threads (default 2): random embedding [1,256,64,64] and image [1,3,1024,1024]; prints the median
 * of 7 runs after 2 warm-up runs and the output shapes.
 *
 *   java -cp $J:/tmp/ortcheck AisTiming DIR/instance_decoder.onnx [THREADS]
 */
public class AisTiming {
    public static void main(String[] a) throws Exception {
        int threads = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession s = env.createSession(a[0], so);
        Random r = new Random(0);
        float[] emb = new float[256 * 64 * 64];
        for (int i = 0; i < emb.length; i++) emb[i] = (float) r.nextGaussian();
        float[] img = new float[3 * 1024 * 1024];
        for (int i = 0; i < img.length; i++) img[i] = (float) r.nextGaussian();
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] { 1, 256, 64, 64 }));
        in.put("image", OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[] { 1, 3, 1024, 1024 }));
        int reps = 7;
        double[] ms = new double[reps];
        for (int rep = -2; rep < reps; rep++) {
            long t = System.nanoTime();
            try (OrtSession.Result res = s.run(in)) {
                if (rep == -2) for (Map.Entry<String, OnnxValue> e : res)
                    System.out.println(e.getKey() + " " + Arrays.toString(((OnnxTensor) e.getValue()).getInfo().getShape()));
            }
            if (rep >= 0) ms[rep] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s: %d thread(s): median %.1f ms (min %.1f)%n", a[0], threads, ms[reps / 2], ms[0]);
    }
}
