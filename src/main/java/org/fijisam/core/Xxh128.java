package org.fijisam.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * XXH3 128-bit (seed 0, default secret), the hash micro-sam publishes for its checkpoints
 * ("xxh128:..."), written from the algorithm's specification. It is streamed: {@link #update}
 * takes any number of chunks, so multi-GB files are hashed without being held. The hex form
 * is the canonical one that {@code xxhsum -H2} prints: the high 64 bits, then the low 64 bits.
 *
 * <p>XXH3 hashes short inputs (0, 1-3, 4-8, 9-16, 17-128, 129-240 bytes) with separate mixes
 * and longer ones in 1024-byte blocks of 64-byte stripes, finishing with the input's last 64
 * bytes; the stream keeps one block back so that it knows which block is the last.
 */
public final class Xxh128 {

	private static final long P32_1 = 0x9E3779B1L, P32_2 = 0x85EBCA77L, P32_3 = 0xC2B2AE3DL;
	private static final long P64_1 = 0x9E3779B185EBCA87L, P64_2 = 0xC2B2AE3D27D4EB4FL,
		P64_3 = 0x165667B19E3779F9L, P64_4 = 0x85EBCA77C2B2AE63L, P64_5 = 0x27D4EB2F165667C5L;
	private static final long PRIME_MX2 = 0x9FB21C651E98DF25L;

	private static final int STRIPE = 64;
	private static final int STRIPES_PER_BLOCK = (192 - STRIPE) / 8;
	private static final int BLOCK = STRIPE * STRIPES_PER_BLOCK;

	/** The default 192-byte secret of the specification. */
	private static final byte[] SECRET = bytes(
		"b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f" +
		"cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c" +
		"3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8" +
		"a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364" +
		"eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e" +
		"2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e");

	private final long[] acc = { P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1 };
	/** The current block: flushed only when more input follows, so it is never empty at the end. */
	private final byte[] block = new byte[BLOCK];
	private int blockLength;
	/** The last stripe of the previous block, for a final block shorter than one stripe. */
	private final byte[] previousTail = new byte[STRIPE];
	private long total;

	/** Adds bytes to the hash. */
	public Xxh128 update(byte[] data, int offset, int length) {
		while (length > 0) {
			if (blockLength == BLOCK) {
				accumulate(acc, block, 0, STRIPES_PER_BLOCK);
				scramble(acc);
				System.arraycopy(block, BLOCK - STRIPE, previousTail, 0, STRIPE);
				blockLength = 0;
			}
			int n = Math.min(length, BLOCK - blockLength);
			System.arraycopy(data, offset, block, blockLength, n);
			blockLength += n;
			offset += n;
			length -= n;
			total += n;
		}
		return this;
	}

	public Xxh128 update(byte[] data) {
		return update(data, 0, data.length);
	}

	/** The 128-bit hash as {high, low}; the stream may go on afterwards. */
	public long[] digest() {
		if (total <= 16) return upTo16(block, (int) total);
		if (total <= 128) return upTo128(block, (int) total);
		if (total <= 240) return upTo240(block, (int) total);
		long[] a = acc.clone();
		accumulate(a, block, 0, (blockLength - 1) / STRIPE);
		byte[] last = new byte[STRIPE];
		if (blockLength >= STRIPE) System.arraycopy(block, blockLength - STRIPE, last, 0, STRIPE);
		else {
			System.arraycopy(previousTail, blockLength, last, 0, STRIPE - blockLength);
			System.arraycopy(block, 0, last, STRIPE - blockLength, blockLength);
		}
		accumulate512(a, last, 0, 192 - STRIPE - 7);
		long low = mergeAccs(a, 11, total * P64_1);
		long high = mergeAccs(a, 192 - STRIPE - 11, ~(total * P64_2));
		return new long[] { high, low };
	}

	/** The canonical hex form (32 digits, as xxhsum -H2 prints it). */
	public String hex() {
		long[] h = digest();
		return String.format("%016x%016x", h[0], h[1]);
	}

	public static String hex(byte[] data) {
		return new Xxh128().update(data).hex();
	}

	/** The hash of a file, streamed. */
	public static String hex(Path file) throws IOException {
		Xxh128 h = new Xxh128();
		byte[] buf = new byte[1 << 20];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buf)) > 0;)
				h.update(buf, 0, n);
		}
		return h.hex();
	}

	// ---- inputs of 240 bytes and less ----

	private static long[] upTo16(byte[] in, int len) {
		if (len > 8) return from9to16(in, len);
		if (len >= 4) return from4to8(in, len);
		if (len > 0) return from1to3(in, len);
		return new long[] { avalanche64(r64(SECRET, 80) ^ r64(SECRET, 88)), avalanche64(r64(SECRET, 64) ^ r64(
			SECRET, 72)) };
	}

	private static long[] from1to3(byte[] in, int len) {
		int c1 = in[0] & 0xff, c2 = in[len >> 1] & 0xff, c3 = in[len - 1] & 0xff;
		int combinedL = (c1 << 16) | (c2 << 24) | c3 | (len << 8);
		int combinedH = Integer.rotateLeft(Integer.reverseBytes(combinedL), 13);
		long flipL = u32(r32(SECRET, 0) ^ r32(SECRET, 4));
		long flipH = u32(r32(SECRET, 8) ^ r32(SECRET, 12));
		return new long[] { avalanche64(u32(combinedH) ^ flipH), avalanche64(u32(combinedL) ^ flipL) };
	}

	private static long[] from4to8(byte[] in, int len) {
		long lo = u32(r32(in, 0)), hi = u32(r32(in, len - 4));
		long keyed = (lo + (hi << 32)) ^ (r64(SECRET, 16) ^ r64(SECRET, 24));
		long mLow = keyed * (P64_1 + ((long) len << 2));
		long mHigh = mulHigh(keyed, P64_1 + ((long) len << 2));
		mHigh += mLow << 1;
		mLow ^= mHigh >>> 3;
		mLow ^= mLow >>> 35;
		mLow *= PRIME_MX2;
		mLow ^= mLow >>> 28;
		return new long[] { avalanche3(mHigh), mLow };
	}

	private static long[] from9to16(byte[] in, int len) {
		long flipL = r64(SECRET, 32) ^ r64(SECRET, 40);
		long flipH = r64(SECRET, 48) ^ r64(SECRET, 56);
		long lo = r64(in, 0), hi = r64(in, len - 8);
		long x = lo ^ hi ^ flipL;
		long mLow = x * P64_1, mHigh = mulHigh(x, P64_1);
		mLow += (long) (len - 1) << 54;
		hi ^= flipH;
		mHigh += hi + u32((int) hi) * (P32_2 - 1);
		mLow ^= Long.reverseBytes(mHigh);
		long hLow = mLow * P64_2, hHigh = mulHigh(mLow, P64_2);
		hHigh += mHigh * P64_2;
		return new long[] { avalanche3(hHigh), avalanche3(hLow) };
	}

	private static long[] upTo128(byte[] in, int len) {
		long[] a = { len * P64_1, 0 };
		if (len > 32) {
			if (len > 64) {
				if (len > 96) mix32(a, in, 48, len - 64, 96, 0);
				mix32(a, in, 32, len - 48, 64, 0);
			}
			mix32(a, in, 16, len - 32, 32, 0);
		}
		mix32(a, in, 0, len - 16, 0, 0);
		return finish(a, len);
	}

	private static long[] upTo240(byte[] in, int len) {
		long[] a = { len * P64_1, 0 };
		for (int i = 32; i < 160; i += 32)
			mix32(a, in, i - 32, i - 16, i - 32, 0);
		a[0] = avalanche3(a[0]);
		a[1] = avalanche3(a[1]);
		for (int i = 160; i <= len; i += 32)
			mix32(a, in, i - 32, i - 16, 3 + i - 160, 0);
		mix32(a, in, len - 16, len - 32, 136 - 17 - 16, 0);
		return finish(a, len);
	}

	private static long[] finish(long[] a, int len) {
		long low = a[0] + a[1];
		long high = a[0] * P64_1 + a[1] * P64_4 + len * P64_2;
		return new long[] { -avalanche3(high), avalanche3(low) };
	}

	/** Mixes two 16-byte lanes of the input into the 128-bit accumulator {low, high}. */
	private static void mix32(long[] a, byte[] in, int in1, int in2, int secret, long seed) {
		a[0] += mix16(in, in1, secret, seed);
		a[0] ^= r64(in, in2) + r64(in, in2 + 8);
		a[1] += mix16(in, in2, secret + 16, seed);
		a[1] ^= r64(in, in1) + r64(in, in1 + 8);
	}

	private static long mix16(byte[] in, int at, int secret, long seed) {
		return fold64(r64(in, at) ^ (r64(SECRET, secret) + seed), r64(in, at + 8) ^ (r64(SECRET, secret + 8) - seed));
	}

	// ---- long inputs ----

	private static void accumulate(long[] a, byte[] in, int at, int stripes) {
		for (int s = 0; s < stripes; s++)
			accumulate512(a, in, at + s * STRIPE, s * 8);
	}

	private static void accumulate512(long[] a, byte[] in, int at, int secret) {
		for (int lane = 0; lane < 8; lane++) {
			long value = r64(in, at + lane * 8);
			long key = value ^ r64(SECRET, secret + lane * 8);
			a[lane ^ 1] += value;
			a[lane] += (key & 0xFFFFFFFFL) * (key >>> 32);
		}
	}

	private static void scramble(long[] a) {
		for (int lane = 0; lane < 8; lane++) {
			long v = a[lane];
			v ^= v >>> 47;
			v ^= r64(SECRET, 192 - STRIPE + lane * 8);
			a[lane] = v * P32_1;
		}
	}

	private static long mergeAccs(long[] a, int secret, long start) {
		long r = start;
		for (int i = 0; i < 4; i++)
			r += fold64(a[2 * i] ^ r64(SECRET, secret + 16 * i), a[2 * i + 1] ^ r64(SECRET, secret + 16 * i + 8));
		return avalanche3(r);
	}

	// ---- arithmetic ----

	/** The high 64 bits of the unsigned 128-bit product. */
	private static long mulHigh(long a, long b) {
		return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
	}

	private static long fold64(long a, long b) {
		return (a * b) ^ mulHigh(a, b);
	}

	private static long avalanche64(long h) {
		h ^= h >>> 33;
		h *= P64_2;
		h ^= h >>> 29;
		h *= P64_3;
		return h ^ (h >>> 32);
	}

	private static long avalanche3(long h) {
		h ^= h >>> 37;
		h *= 0x165667919E3779F9L;
		return h ^ (h >>> 32);
	}

	/**
	 * Little-endian reads assembled from single bytes. Not a byteArrayViewVarHandle: with one,
	 * C2 on OpenJDK 17.0.15 let the 8-byte reads of the block run ahead of the arraycopy that
	 * fills it, and once update() was compiled every hash of more than one block came out wrong
	 * (2 to 26 JVMs in 32 of a stress run; none with this method or accumulate512 kept out of
	 * C2). A wrong hash would make a good download look damaged; Xxh128Test.rightOnceCompiled.
	 */
	private static long r64(byte[] b, int at) {
		return (r32(b, at) & 0xFFFFFFFFL) | (long) r32(b, at + 4) << 32;
	}

	private static int r32(byte[] b, int at) {
		return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
	}

	private static long u32(int v) {
		return v & 0xFFFFFFFFL;
	}

	private static byte[] bytes(String hex) {
		byte[] b = new byte[hex.length() / 2];
		for (int i = 0; i < b.length; i++)
			b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
		return b;
	}
}
