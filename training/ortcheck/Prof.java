import ai.onnxruntime.*;
import java.nio.*;
import java.util.*;
public class Prof {
    public static void main(String[] a) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(2);
        so.enableProfiling("/tmp/ortcheck/prof");
        OrtSession bat = env.createSession(a[0] + "/decoder_batch.onnx", so);
        int B = Integer.parseInt(a[1]), n = 2, L = 256;
        float[] pc = new float[B*n*2]; Random r = new Random(0); for (int i=0;i<pc.length;i++) pc[i]=r.nextFloat()*1024;
        float[] pl = new float[B*n]; for (int b=0;b<B;b++){pl[b*n]=1;pl[b*n+1]=-1;}
        Map<String, OnnxTensor> d = new HashMap<>();
        d.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[256*64*64]), new long[]{1,256,64,64}));
        d.put("point_coords", OnnxTensor.createTensor(env, FloatBuffer.wrap(pc), new long[]{B,n,2}));
        d.put("point_labels", OnnxTensor.createTensor(env, FloatBuffer.wrap(pl), new long[]{B,n}));
        d.put("mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[B*L*L]), new long[]{B,1,L,L}));
        d.put("has_mask_input", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[B]), new long[]{B}));
        for (int i = 0; i < 4; i++) try (OrtSession.Result res = bat.run(d)) {}
        System.out.println(bat.endProfiling());
    }
}
