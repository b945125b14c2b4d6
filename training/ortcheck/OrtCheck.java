import ai.onnxruntime.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class OrtCheck {
    static OrtEnvironment env;
    static OnnxTensor t(float[] d, long... shape) throws Exception {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(d), shape);
    }
    static float[] maskF(int L) { float[] m = new float[L*L]; for (int y=0;y<L;y++) for (int x=0;x<L;x++) m[y*L+x] = ((x + 2*y) % 17 - 8) / 2.0f; return m; }
    static float[] flat(OnnxValue v) throws Exception {
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer(); float[] a = new float[fb.remaining()]; fb.get(a); return a;
    }
    static double maxErr = 0;
    static void cmp(String what, float[] got, Scanner s, boolean indexed, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            int idx = indexed ? s.nextInt() : i; double v = Double.parseDouble(s.next());
            m = Math.max(m, Math.abs(got[idx] - v));
        }
        System.out.printf("%s: max abs diff %.3g over %d values%n", what, m, n); maxErr = Math.max(maxErr, m);
    }
    public static void main(String[] a) throws Exception {
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(2);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        String dir = a[0];
        OrtSession enc = env.createSession(dir + "/encoder.onnx", so);
        OrtSession dec = env.createSession(dir + "/decoder.onnx", so);
        OrtSession bat = env.createSession(dir + "/decoder_batch.onnx", so);
        int S = 1024, C = 256, E = 64, L = 256;
        float[] img = new float[3*S*S];
        for (int c=0;c<3;c++) for (int y=0;y<S;y++) for (int x=0;x<S;x++) img[(c*S+y)*S+x] = ((x*7 + y*13 + c*29) % 256 - 128) / 64.0f;
        float[] emb = new float[C*E*E];
        for (int c=0;c<C;c++) for (int y=0;y<E;y++) for (int x=0;x<E;x++) emb[(c*E+y)*E+x] = ((x*5 + y*11 + c*3) % 97 - 48) / 48.0f;
        List<String> lines = a.length > 1 ? Files.readAllLines(Paths.get(a[1])) : new ArrayList<>();
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("image", t(img, 1, 3, S, S));
        float[] eo = null; long t0 = 0;
        for (int r = 0; r < 4; r++) { if (r == 1) t0 = System.nanoTime(); try (OrtSession.Result res = enc.run(in)) { eo = flat(res.get(0)); } }
        System.out.printf("encoder ms: %.1f%n", (System.nanoTime() - t0) / 3e6);
        for (String line : lines) {
            Scanner s = new Scanner(line); String kind = s.next();
            if (kind.equals("ENC")) { int n = s.nextInt(); cmp("encoder", eo, s, true, n); }
            else if (kind.equals("DEC")) {
                int n = s.nextInt(); float[] pc = new float[2*n]; for (int i=0;i<2*n;i++) pc[i]=Float.parseFloat(s.next());
                float[] pl = new float[n]; for (int i=0;i<n;i++) pl[i]=Float.parseFloat(s.next());
                int has = s.nextInt(); float H = Float.parseFloat(s.next()), W = Float.parseFloat(s.next());
                Map<String, OnnxTensor> d = new HashMap<>();
                d.put("image_embeddings", t(emb, 1, C, E, E)); d.put("point_coords", t(pc, 1, n, 2)); d.put("point_labels", t(pl, 1, n));
                d.put("mask_input", t(has == 1 ? maskF(L) : new float[L*L], 1, 1, L, L)); d.put("has_mask_input", t(new float[]{has}, 1));
                d.put("orig_im_size", t(new float[]{H, W}, 2));
                try (OrtSession.Result res = dec.run(d)) {
                    long[] ms = ((OnnxTensor) res.get("masks").get()).getInfo().getShape();
                    System.out.println("masks shape " + Arrays.toString(ms));
                    cmp("decoder iou", flat(res.get("iou_predictions").get()), s, false, 4);
                    int m = s.nextInt(); cmp("decoder low_res", flat(res.get("low_res_masks").get()), s, true, m);
                }
            } else if (kind.equals("BATCH")) {
                int B = s.nextInt(), n = s.nextInt(); float[] pc = new float[B*n*2]; for (int i=0;i<pc.length;i++) pc[i]=Float.parseFloat(s.next());
                float[] pl = new float[B*n]; for (int i=0;i<pl.length;i++) pl[i]=Float.parseFloat(s.next());
                float[] has = new float[B]; float[] mi = new float[B*L*L]; float[] mf = maskF(L);
                for (int b=0;b<B;b++) { has[b] = s.nextInt(); if (has[b] == 1) System.arraycopy(mf, 0, mi, b*L*L, L*L); }
                Map<String, OnnxTensor> d = new HashMap<>();
                d.put("image_embeddings", t(emb, 1, C, E, E)); d.put("point_coords", t(pc, B, n, 2)); d.put("point_labels", t(pl, B, n));
                d.put("mask_input", t(mi, B, 1, L, L)); d.put("has_mask_input", t(has, B));
                try (OrtSession.Result res = bat.run(d)) {
                    cmp("batch iou", flat(res.get("iou_predictions").get()), s, false, 4*B);
                    int m = s.nextInt(); cmp("batch low_res", flat(res.get("low_res_masks").get()), s, true, m);
                }
            }
        }
        // timings
        Random rnd = new Random(0);
        for (int B : new int[]{1, 64}) {
            int n = 2; float[] pc = new float[B*n*2]; for (int i=0;i<pc.length;i++) pc[i] = rnd.nextFloat()*1024;
            float[] pl = new float[B*n]; for (int b=0;b<B;b++) { pl[b*n] = 1; pl[b*n+1] = -1; }
            Map<String, OnnxTensor> d = new HashMap<>();
            d.put("image_embeddings", t(emb, 1, C, E, E)); d.put("point_coords", t(pc, B, n, 2)); d.put("point_labels", t(pl, B, n));
            d.put("mask_input", t(new float[B*L*L], B, 1, L, L)); d.put("has_mask_input", t(new float[B], B));
            OrtSession sess = bat;
            if (B == 1) { d.put("orig_im_size", t(new float[]{1040, 1388}, 2)); }
            Map<String, OnnxTensor> d2 = new HashMap<>(d); if (B != 1) d2.remove("orig_im_size");
            int reps = B == 1 ? 20 : 3;
            for (int w = 0; w < 2; w++) try (OrtSession.Result r = bat.run(without(d2, "orig_im_size"))) {}
            long t1 = System.nanoTime();
            for (int r = 0; r < reps; r++) try (OrtSession.Result res = bat.run(without(d2, "orig_im_size"))) {}
            System.out.printf("batch decoder B=%d: %.2f ms per prompt%n", B, (System.nanoTime() - t1) / 1e6 / reps / B);
            if (B == 1) {
                for (int w = 0; w < 2; w++) try (OrtSession.Result r = dec.run(d)) {}
                t1 = System.nanoTime();
                for (int r = 0; r < reps; r++) try (OrtSession.Result res = dec.run(d)) {}
                System.out.printf("single decoder (with 1040x1388 masks output): %.2f ms%n", (System.nanoTime() - t1) / 1e6 / reps);
                Map<String, OnnxTensor> d3 = new HashMap<>(d); d3.put("orig_im_size", t(new float[]{256, 256}, 2));
                t1 = System.nanoTime();
                for (int r = 0; r < reps; r++) try (OrtSession.Result res = dec.run(d3)) {}
                System.out.printf("single decoder (256x256 masks output): %.2f ms%n", (System.nanoTime() - t1) / 1e6 / reps);
            }
        }
        System.out.printf("MAX PARITY ERROR %.3g%n", maxErr);
    }
    static Map<String, OnnxTensor> without(Map<String, OnnxTensor> m, String k) { Map<String, OnnxTensor> r = new HashMap<>(m); r.remove(k); return r; }
}
