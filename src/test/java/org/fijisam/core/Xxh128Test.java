package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XXH3-128 against the reference implementation: the expected values were printed by
 * {@code xxhsum -H2} (xxHash 0.8, Debian package "xxhash") for the first N bytes of
 * {@link #data}. The lengths cover every code path of XXH3: 0, 1-3, 4-8, 9-16, 17-128, 129-240,
 * and long inputs of one block, exact blocks, and lengths that are not a multiple of a stripe.
 */
class Xxh128Test {

	static final String[][] VECTORS = {
		{ "0", "99aa06d3014798d86001c324468d497f" },
		{ "1", "e1325e21416bcdb2929e358d27ae3ee2" },
		{ "2", "07498d832b19a59df4861cd45aad8b47" },
		{ "3", "05853a388c3c4c77d95f511cd1108231" },
		{ "4", "38097a6a41e3b86a9b924e1bbb2af774" },
		{ "5", "4516dfd7e3c38ec53f3f487e5f71c8be" },
		{ "8", "33254291ca3e9585d46009c4a0dce0e2" },
		{ "9", "7c4c41e892cde6054fd451047034af3e" },
		{ "12", "fe9471fb5f094a38827af7f81eb2636b" },
		{ "16", "20842b4b9c392a29e43a6e8b5dffccff" },
		{ "17", "016fbe9ed409ac5ca1b5b5ba6967164d" },
		{ "32", "8b78666750c88e21aca3689123384fa2" },
		{ "33", "4309b2bb4bc03361e7b8f1e5740ac34a" },
		{ "64", "f46cae845113531d0aae26619caea571" },
		{ "65", "6c000608913308fb9c2c59f4b31923d1" },
		{ "96", "4812fa2017976895c612f519fcdff3d0" },
		{ "97", "8bd4682724e93c40e49cb8d93adbb81e" },
		{ "128", "eb8f5e994acfe3a41b642bb65e1d9bfd" },
		{ "129", "c796542c20ef403a4f605dfad26e4945" },
		{ "160", "3afc5adb65e5d89a2ef8c50b1fd2ce30" },
		{ "200", "ca66d200060a7234036227e856fb2933" },
		{ "239", "b1da3896f109d1298299d0a0dbd2375e" },
		{ "240", "7d5a309fff675157a56b098002ee77bf" },
		{ "241", "8a02ccdddf00499fb6b0e014e0cf0be5" },
		{ "1000", "b32300cd368a2d892889945034c367cc" },
		{ "1023", "0e988ec51eca0d653cd274d1733c0d89" },
		{ "1024", "63aac24a0909b0c0d6a081d3e9254353" },
		{ "1025", "f1f39fd9a3de9e65f9114901081dd573" },
		{ "1088", "526955c987778eeab895c69e9306fe7c" },
		{ "2048", "50bb92ccb500d48fb0e376f2601e28c6" },
		{ "2049", "03897eff63ad82dd22f8440cedec6283" },
		{ "5000", "a3a22d0654bac9b5357424ecfd23604c" },
		{ "100003", "f5a7928358c7a557b9d439dc1a88cd8d" },
	};

	/** The test bytes (the same formula generated the files xxhsum read). */
	static byte[] data(int n) {
		byte[] b = new byte[n];
		for (int i = 0; i < n; i++)
			b[i] = (byte) (i * 167 + (i >> 7) * 13 + 5);
		return b;
	}

	@Test
	void matchesTheReferenceForEveryLengthClass() {
		for (String[] v : VECTORS)
			assertEquals(v[1], Xxh128.hex(data(Integer.parseInt(v[0]))), "length " + v[0]);
	}

	@Test
	void streamingInAnyChunksGivesTheSameHash() {
		int[] chunks = { 1, 7, 63, 64, 65, 1000, 1024, 1025, 4096 };
		for (String[] v : VECTORS) {
			byte[] d = data(Integer.parseInt(v[0]));
			for (int chunk : chunks) {
				Xxh128 h = new Xxh128();
				for (int at = 0; at < d.length; at += chunk)
					h.update(Arrays.copyOfRange(d, at, Math.min(d.length, at + chunk)));
				assertEquals(v[1], h.hex(), "length " + v[0] + " in chunks of " + chunk);
			}
		}
	}

	/**
	 * The same hashes again and again until the JIT has compiled update() and its callees with
	 * C2: OpenJDK 17.0.15 miscompiled the earlier byteArrayViewVarHandle reads there (every hash
	 * of more than one block wrong from then on, in some JVMs: this loop failed in 5 JVMs of 12
	 * with those reads, in none of 12 with the byte reads, and a stress run of 32 JVMs found no
	 * wrong hash since). One JVM cannot prove the absence; it fails when it compiles wrongly.
	 */
	@Test
	void rightOnceCompiled() {
		byte[] d = data(100003);
		String[][] longOnes = { VECTORS[VECTORS.length - 3], VECTORS[VECTORS.length - 2], VECTORS[VECTORS.length - 1] };
		for (int round = 0; round < 60; round++)
			for (String[] v : longOnes)
				for (int chunk : new int[] { 7, 64, 1024, 4096 }) {
					int n = Integer.parseInt(v[0]);
					Xxh128 h = new Xxh128();
					for (int at = 0; at < n; at += chunk)
						h.update(d, at, Math.min(n, at + chunk) - at);
					assertEquals(v[1], h.hex(), "round " + round + ", length " + n + " in chunks of " + chunk);
				}
	}

	@Test
	void hashesAFileWithoutHoldingIt(@TempDir Path dir) throws Exception {
		Path f = Files.write(dir.resolve("d.bin"), data(100003));
		assertEquals("f5a7928358c7a557b9d439dc1a88cd8d", Xxh128.hex(f));
	}
}
