package org.fijisam.checkpoint;

import java.nio.ByteBuffer;

/**
 * Element types a checkpoint may hold. Every one reads as float so a converter needs one
 * path; the float types are exact (half and bfloat16 widen losslessly), the integer types
 * round beyond 2^24, which only matters for counters, not weights.
 */
public enum TensorDtype {
	F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

	private final int size;

	TensorDtype(int size) {
		this.size = size;
	}

	/** Bytes per element. */
	public int size() {
		return size;
	}

	/** True for the types weights come in (float32, float16, bfloat16). */
	public boolean isWeightType() {
		return this == F32 || this == F16 || this == BF16;
	}

	/** The element at byte position {@code pos} of a little-endian buffer, as float. */
	float read(ByteBuffer b, int pos) {
		switch (this) {
			case F32: return b.getFloat(pos);
			case F16: return halfToFloat(b.getShort(pos));
			case BF16: return Float.intBitsToFloat((b.getShort(pos) & 0xffff) << 16);
			case F64: return (float) b.getDouble(pos);
			case I64: return b.getLong(pos);
			case I32: return b.getInt(pos);
			case I16: return b.getShort(pos);
			case I8: return b.get(pos);
			case U8: return b.get(pos) & 0xff;
			case BOOL: return b.get(pos) != 0 ? 1f : 0f;
			default: throw new AssertionError(this);
		}
	}

	/** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
	static float halfToFloat(short h) {
		int bits = h & 0xffff;
		int sign = (bits & 0x8000) << 16;
		int exp = (bits >>> 10) & 0x1f;
		int mant = bits & 0x3ff;
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
		// subnormal half: mant * 2^-24, exact in float
		float v = mant * 0x1p-24f;
		return sign != 0 ? -v : v;
	}
}
