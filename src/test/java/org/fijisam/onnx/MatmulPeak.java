package org.fijisam.onnx;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Not a test: what this machine's matrix multiply reaches through ONNX Runtime (the same
 * library and threads the encoder runs on), the reference for "fraction of peak" in the
 * benchmark. Times one square MatMul (training/bench_official.py writes matmul.onnx, 2048^3)
 * and prints the median GFLOP/s (2 flops per multiply-add). Run with
 * {@code MatmulPeak matmul.onnx [threads]}.
 */
public final class MatmulPeak {

	public static void main(String[] args) throws Exception {
		int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
		OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
			opts.setIntraOpNumThreads(threads);
			opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			try (OrtSession session = env.createSession(args[0], opts)) {
				long n = session.getInputInfo().get("a").getInfo() instanceof ai.onnxruntime.TensorInfo
					? ((ai.onnxruntime.TensorInfo) session.getInputInfo().get("a").getInfo()).getShape()[0] : 2048;
				float[] data = new float[(int) (n * n)];
				Random r = new Random(0);
				for (int i = 0; i < data.length; i++)
					data[i] = r.nextFloat() - 0.5f;
				long[] shape = { n, n };
				try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
					OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape))
				{
					Map<String, OnnxTensor> in = Map.of("a", a, "b", b);
					session.run(in).close(); // warm-up
					double[] ms = new double[10];
					for (int i = 0; i < ms.length; i++) {
						long t0 = System.nanoTime();
						session.run(in).close();
						ms[i] = (System.nanoTime() - t0) / 1e6;
					}
					Arrays.sort(ms);
					double median = (ms[4] + ms[5]) / 2;
					double gflops = 2.0 * n * n * n / (median / 1000) / 1e9;
					System.out.printf(Locale.ROOT, "{\"matmul_n\": %d, \"threads\": %d, \"median_ms\": %.2f, " +
						"\"min_ms\": %.2f, \"gflops\": %.1f}%n", n, threads, median, ms[0], gflops);
				}
			}
		}
	}
}
