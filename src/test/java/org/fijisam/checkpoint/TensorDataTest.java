package org.fijisam.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class TensorDataTest {

	static TensorStorage floats(float... v) {
		ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
		for (float f : v)
			b.putFloat(f);
		b.flip();
		return new TensorStorage("s", TensorDtype.F32, v.length, () -> b);
	}

	@Test
	void stridedReadIsRowMajorOfTheView() throws Exception {
		TensorStorage s = floats(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
		// the transpose of a 3x4 row-major matrix, then a 2x2 window at offset 5
		assertArrayEquals(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 },
			new TensorData(s, 0, new long[] { 4, 3 }, new long[] { 1, 4 }).readFloats());
		assertArrayEquals(new float[] { 5, 6, 9, 10 }, new TensorData(s, 5, new long[] { 2, 2 }, new long[] { 4, 1 })
			.readFloats());
		// broadcast (stride 0), rank 3, empty
		assertArrayEquals(new float[] { 3, 3, 3, 4, 4, 4 }, new TensorData(s, 3, new long[] { 2, 1, 3 },
			new long[] { 1, 7, 0 }).readFloats());
		assertEquals(0, new TensorData(s, 0, new long[] { 0, 5 }, new long[] { 5, 1 }).readFloats().length);
	}

	@Test
	void viewsOutsideTheirStorageAreRefused() {
		TensorStorage s = floats(0, 1, 2, 3, 4, 5);
		CheckpointException e = assertThrows(CheckpointException.class,
			() -> new TensorData(s, 0, new long[] { 3, 3 }, new long[] { 3, 1 }));
		assertTrue(e.getMessage().contains("element 8"), e.getMessage());
		assertThrows(CheckpointException.class, () -> new TensorData(s, 6, new long[] {}, new long[] {}));
		assertThrows(CheckpointException.class, () -> new TensorData(s, -1, new long[] { 1 }, new long[] { 1 }));
		assertThrows(CheckpointException.class, () -> new TensorData(s, 0, new long[] { 1L << 40, 1L << 40 },
			new long[] { 0, 0 }));
	}

	/** Every one of the 65536 half-precision patterns widens to the value IEEE 754 defines. */
	@Test
	void halfToFloatIsExact() {
		for (int h = 0; h < 0x10000; h++) {
			int e = (h >>> 10) & 0x1f, m = h & 0x3ff;
			double sign = (h & 0x8000) != 0 ? -1 : 1;
			double want = e == 0 ? sign * m * Math.pow(2, -24) : e == 31 ? (m == 0 ? sign * Double.POSITIVE_INFINITY
				: Double.NaN) : sign * (1 + m / 1024.0) * Math.pow(2, e - 15);
			float got = TensorDtype.halfToFloat((short) h);
			if (Double.isNaN(want)) assertTrue(Float.isNaN(got));
			else assertEquals(Float.floatToIntBits((float) want), Float.floatToIntBits(got), "half " + h);
		}
	}
}
