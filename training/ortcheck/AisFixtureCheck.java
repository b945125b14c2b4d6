import ai.onnxruntime.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

/**
 * Checks the AIS fixture (src/test/resources/fixtures/ais-tiny) in ONNX Runtime Java: builds the
 * two inputs from the formulas of fixture.json, runs instance_decoder.onnx and prints the largest
 * absolute difference to PyTorch's outputs (*.f32) per output.
 *
 *   java -cp $J:/tmp/ortcheck AisFixtureCheck src/test/resources/fixtures/ais-tiny
 */
public class AisFixtureCheck {
    public static void main(String[] a) throws Exception {
        Path dir = Paths.get(a[0]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession s = env.createSession(dir.resolve("instance_decoder.onnx").toString(), new OrtSession.SessionOptions());
        float[] emb = new float[256 * 64 * 64];
        for (int c = 0; c < 256; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++)
            emb[(c * 64 + y) * 64 + x] = ((x * 5 + y * 11 + c * 3) % 97 - 48) / 48.0f;
        float[] img = new float[3 * 1024 * 1024];
        for (int c = 0; c < 3; c++) for (int y = 0; y < 1024; y++) for (int x = 0; x < 1024; x++)
            img[(c * 1024 + y) * 1024 + x] = ((x * 7 + y * 13 + c * 29) % 256 - 128) / 64.0f;
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("image_embeddings", OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] { 1, 256, 64, 64 }));
        in.put("image", OnnxTensor.createTensor(env, FloatBuffer.wrap(img), new long[] { 1, 3, 1024, 1024 }));
        try (OrtSession.Result res = s.run(in)) {
            for (String name : new String[] { "foreground", "center_distance", "boundary_distance" }) {
                float[] got = ((OnnxTensor) res.get(name).get()).getFloatBuffer().array();
                FloatBuffer want = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + ".f32")))
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                double max = 0;
                for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - want.get(i)));
                System.out.printf("%s: %d values, max |ORT - torch| = %.3g%n", name, got.length, max);
            }
        }
    }
}
