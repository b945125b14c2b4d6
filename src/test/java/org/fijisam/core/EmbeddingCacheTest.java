package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings as sets of named tensors in the memory and disk caches; the disk format is versioned. */
class EmbeddingCacheTest {

	static final ResizeGeometry G = new ResizeGeometry(30, 20, 16);

	/** Shaped like a SAM 2 embedding: several tensors of different ranks. */
	static ImageEmbedding threeTensors(String key) {
		return new ImageEmbedding(List.of(new EmbeddingTensor("image_embed", new int[] { 2, 2, 2 }, new float[] { 1, 2,
			3, 4, 5, 6, 7, 8 }), new EmbeddingTensor("high_res_feats_0", new int[] { 1, 3 }, new float[] { -1, 0.5f,
				Float.NaN }), new EmbeddingTensor("high_res_feats_1", new int[] { 1 }, new float[] { 42 })), G, key);
	}

	static Path fileOf(Path folder, String key) {
		return folder.resolve(Hashes.sha256Hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".emb");
	}

	@Test
	void everyTensorComesBackFromDiskByName(@TempDir Path dir) {
		ImageEmbedding e = threeTensors("model:30x20:abc");
		new EmbeddingCache(1 << 20, dir).put(e);
		EmbeddingCache fresh = new EmbeddingCache(1 << 20, dir);
		ImageEmbedding back = fresh.get("model:30x20:abc", G);
		assertNotNull(back);
		assertEquals(1, fresh.diskHits());
		assertEquals(3, back.tensors().size());
		for (EmbeddingTensor t : e.tensors()) {
			assertArrayEquals(t.shape(), back.tensor(t.name()).shape());
			assertArrayEquals(t.data(), back.tensor(t.name()).data());
		}
		assertSame(G, back.geometry());
		assertEquals(e.bytes(), back.bytes());
		assertSame(back, fresh.get("model:30x20:abc", G), "now from memory");
	}

	@Test
	void filesOfTheOldFormatAreRecomputedNotMisread(@TempDir Path dir) throws Exception {
		String key = "model:30x20:old";
		// Format 1: magic, key, a rank-3 shape, the values.
		try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(fileOf(dir, key)))) {
			out.writeInt(0x53414d45);
			out.writeUTF(key);
			for (int s : new int[] { 2, 2, 2 })
				out.writeInt(s);
			out.write(new byte[32]);
		}
		EmbeddingCache cache = new EmbeddingCache(1 << 20, dir);
		assertNull(cache.get(key, G));
		assertEquals(1, cache.misses());
		// The recomputed embedding replaces the old file.
		cache.put(threeTensors(key));
		assertEquals(3, new EmbeddingCache(1 << 20, dir).get(key, G).tensors().size());
	}

	@Test
	void damagedFilesAreIgnored(@TempDir Path dir) throws Exception {
		String key = "model:30x20:cut";
		new EmbeddingCache(0, dir).put(threeTensors(key));
		byte[] whole = Files.readAllBytes(fileOf(dir, key));
		Files.write(fileOf(dir, key), java.util.Arrays.copyOf(whole, whole.length - 3));
		assertNull(new EmbeddingCache(1 << 20, dir).get(key, G), "cut short");
		Files.write(fileOf(dir, key), java.util.Arrays.copyOf(whole, whole.length + 4));
		assertNull(new EmbeddingCache(1 << 20, dir).get(key, G), "trailing bytes");
		Files.write(fileOf(dir, key), whole);
		assertNull(new EmbeddingCache(1 << 20, dir).get("model:30x20:other", G), "another key");
		assertNotNull(new EmbeddingCache(1 << 20, dir).get(key, G));
	}

	@Test
	void memoryCapCountsEveryTensor() {
		EmbeddingCache cache = EmbeddingCache.inMemory(4 * 12);
		cache.put(threeTensors("a"));
		assertEquals(48, cache.bytesInMemory());
		cache.put(threeTensors("b"));
		assertEquals(1, cache.size(), "the first was evicted");
		assertNull(cache.get("a", G));
	}
}
