package org.fijisam.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image embeddings kept for reuse: an in-memory LRU bounded in bytes, and optionally a
 * folder on disk so that re-running on the same image (same pixels, plane, normalisation
 * and model) does not encode again. An embedding is stored as the set of named tensors its
 * model family made, without looking inside; on disk in a versioned format
 * ({@link EmbeddingFile}), so files of another version are encoded again, never misread.
 * Thread-safe.
 */
public final class EmbeddingCache {

	private final long maxBytes;
	private final Path diskFolder;
	private final LinkedHashMap<String, ImageEmbedding> memory = new LinkedHashMap<>(16, 0.75f, true);
	private long bytes;
	private long hits;
	private long diskHits;
	private long misses;

	/**
	 * @param maxBytes memory cap; 0 disables the memory cache
	 * @param diskFolder folder for the on-disk cache, or null for none
	 */
	public EmbeddingCache(long maxBytes, Path diskFolder) {
		this.maxBytes = maxBytes;
		this.diskFolder = diskFolder;
	}

	/** A memory-only cache holding up to {@code maxBytes}. */
	public static EmbeddingCache inMemory(long maxBytes) {
		return new EmbeddingCache(maxBytes, null);
	}

	public static EmbeddingCache disabled() {
		return new EmbeddingCache(0, null);
	}

	public synchronized ImageEmbedding get(String key, ResizeGeometry geometry) {
		ImageEmbedding e = memory.get(key);
		if (e != null) {
			hits++;
			return e;
		}
		e = readDisk(key, geometry);
		if (e != null) {
			diskHits++;
			putMemory(e);
			return e;
		}
		misses++;
		return null;
	}

	public synchronized void put(ImageEmbedding e) {
		putMemory(e);
		writeDisk(e);
	}

	private void putMemory(ImageEmbedding e) {
		if (e.bytes() > maxBytes) return;
		ImageEmbedding old = memory.put(e.key(), e);
		if (old != null) bytes -= old.bytes();
		bytes += e.bytes();
		Iterator<Map.Entry<String, ImageEmbedding>> it = memory.entrySet().iterator();
		while (bytes > maxBytes && it.hasNext()) {
			bytes -= it.next().getValue().bytes();
			it.remove();
		}
	}

	public synchronized long memoryHits() { return hits; }

	public synchronized long diskHits() { return diskHits; }

	public synchronized long misses() { return misses; }

	public synchronized int size() { return memory.size(); }

	public synchronized long bytesInMemory() { return bytes; }

	public synchronized void clear() {
		memory.clear();
		bytes = 0;
	}

	private Path diskFile(String key) {
		return diskFolder.resolve(Hashes.sha256Hex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
			.substring(0, 32) + ".emb");
	}

	private ImageEmbedding readDisk(String key, ResizeGeometry geometry) {
		if (diskFolder == null) return null;
		Path file = diskFile(key);
		if (!Files.isRegularFile(file)) return null;
		try (InputStream raw = Files.newInputStream(file);
			DataInputStream in = new DataInputStream(new BufferedInputStream(raw)))
		{
			return EmbeddingFile.read(in, key, Files.size(file), geometry);
		}
		catch (IOException | RuntimeException e) {
			// A damaged cache file only costs a re-encode.
			return null;
		}
	}

	private void writeDisk(ImageEmbedding e) {
		if (diskFolder == null) return;
		try {
			Files.createDirectories(diskFolder);
			Path file = diskFile(e.key());
			// Write to a temporary file and move it in place: a crash never leaves half a file.
			Path tmp = Files.createTempFile(diskFolder, "emb", ".tmp");
			try (OutputStream raw = Files.newOutputStream(tmp);
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw)))
			{
				EmbeddingFile.write(out, e);
			}
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			// The disk cache is an optimisation; failing to write it must not fail a segmentation.
		}
	}
}
