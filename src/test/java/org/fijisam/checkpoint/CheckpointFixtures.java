package org.fijisam.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The fixtures of training/fixtures/make_checkpoint_fixtures.py and the values PyTorch wrote to expected.json. */
final class CheckpointFixtures {
	static final Path DIR = Path.of("src/test/resources/fixtures/checkpoints");

	private CheckpointFixtures() {
	}

	static Path file(String name) {
		return DIR.resolve(name);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> expected() throws IOException {
		return (Map<String, Object>) MiniJson.parse(new String(Files.readAllBytes(file("expected.json")),
			StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Map<String, Object>> expected(String file) throws IOException {
		return (Map<String, Map<String, Object>>) expected().get(file);
	}

	/** Compares one tensor with what Python recorded: dtype, shape, and every value exactly. */
	static void assertTensor(Map<String, Object> exp, CheckpointTensor t) throws CheckpointException {
		List<?> shape = (List<?>) exp.get("shape");
		long[] s = new long[shape.size()];
		for (int i = 0; i < s.length; i++)
			s[i] = (Long) shape.get(i);
		assertArrayEquals(s, t.shape(), t.name());
		assertEquals(dtypeName(t.dtype()), exp.get("dtype"), t.name());
		List<?> values = (List<?>) exp.get("values");
		float[] want = new float[values.size()];
		for (int i = 0; i < want.length; i++)
			want[i] = toFloat(values.get(i));
		assertArrayEquals(want, t.readFloats(), t.name());
	}

	private static float toFloat(Object o) {
		if (o instanceof Long) return (Long) o;
		if ("inf".equals(o)) return Float.POSITIVE_INFINITY;
		if ("-inf".equals(o)) return Float.NEGATIVE_INFINITY;
		return (float) (double) (Double) o;
	}

	static String dtypeName(TensorDtype d) {
		switch (d) {
			case F32: return "float32";
			case F16: return "float16";
			case BF16: return "bfloat16";
			case F64: return "float64";
			case I64: return "int64";
			case I32: return "int32";
			case BOOL: return "bool";
			default: return d.name();
		}
	}
}
