package org.fijisam.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PyTorch's checkpoint format since 1.6: a zip with ARCHIVE/data.pkl (the pickled object,
 * where each tensor's storage is a persistent id) and ARCHIVE/data/KEY (each storage's raw
 * little-endian bytes, stored uncompressed). The pickle goes through {@link PickleReader}
 * with the {@link TorchGlobals} allowlist; storages are memory-mapped from the file on
 * first read.
 */
final class TorchZipCheckpoint {
	/** data.pkl of a state dict is small (names and shapes: ~100 KB for ViT-H); anything far bigger is not one. */
	private static final long MAX_PICKLE = 64L << 20;

	private TorchZipCheckpoint() {
	}

	static Checkpoint open(Path file) throws CheckpointException {
		String shown = file.getFileName().toString();
		ZipFile zip = null;
		FileChannel ch = null;
		try {
			zip = new ZipFile(file.toFile());
			ZipEntry pkl = null;
			for (ZipEntry e : java.util.Collections.list(zip.entries()))
				if (e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().length() - 9) {
					if (pkl != null) throw new CheckpointException(shown + " holds two pickles; it is not a PyTorch checkpoint.");
					pkl = e;
				}
			if (pkl == null) throw new CheckpointException(shown + " is a zip file but not a PyTorch checkpoint (no data.pkl).");
			if (pkl.getSize() > MAX_PICKLE) throw new CheckpointException(shown +
				" has a pickle of " + pkl.getSize() + " bytes, far more than a state dict needs; it is not read.");
			byte[] data;
			try (InputStream in = zip.getInputStream(pkl)) {
				data = in.readNBytes((int) MAX_PICKLE + 1);
			}
			String archive = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
			checkByteOrder(zip, archive, shown);
			ch = FileChannel.open(file, StandardOpenOption.READ);
			ZipDirectory dir = ZipDirectory.read(ch, shown);
			Storages storages = new Storages(shown, archive, zip, ch, dir);
			Object root = new PickleReader(data, shown, new TorchGlobals(), storages::load).read();
			if (root instanceof TensorData) {
				Map<String, Object> single = new HashMap<>();
				single.put("", root);
				root = single;
			}
			if (!(root instanceof Map)) throw new CheckpointException(shown +
				" holds a " + (root == null ? "None" : root.getClass().getSimpleName()) + ", not a dict of tensors.");
			StateDict.checkTree((Map<?, ?>) root, shown);
			ZipFile z = zip;
			FileChannel c = ch;
			return new Checkpoint("pytorch-zip", new StateDict("", (Map<?, ?>) root), () -> {
				try (z; c) {
					// closes both; mapped buffers already handed out stay valid
				}
			});
		} catch (IOException e) {
			closeQuietly(zip, ch);
			throw new CheckpointException("Cannot read " + shown + " as a PyTorch checkpoint: " + e.getMessage() +
				". The file may be damaged; download it again.", e);
		} catch (CheckpointException e) {
			closeQuietly(zip, ch);
			throw e;
		} catch (RuntimeException e) {
			// a crafted zip or pickle reaching a check we missed still ends as a refusal, not a crash
			closeQuietly(zip, ch);
			throw new CheckpointException(shown + " is damaged or not a PyTorch checkpoint (" + e + ").", e);
		}
	}

	/**
	 * PyTorch 2 records the writer's byte order; storages are raw native bytes, so one saved
	 * on a big-endian machine would read as garbage here.
	 */
	private static void checkByteOrder(ZipFile zip, String archive, String shown) throws IOException, CheckpointException {
		ZipEntry e = zip.getEntry(archive + "byteorder");
		if (e == null) return; // before PyTorch 2.1: written on little-endian machines in practice
		String order;
		try (InputStream in = zip.getInputStream(e)) {
			order = new String(in.readNBytes(16), java.nio.charset.StandardCharsets.US_ASCII).trim();
		}
		if (!order.equals("little")) throw new CheckpointException(shown + " was saved on a " + order +
			"-endian machine, which is not supported. Re-save it on a usual (little-endian) computer.");
	}

	private static void closeQuietly(AutoCloseable... cs) {
		for (AutoCloseable c : cs)
			try {
				if (c != null) c.close();
			} catch (Exception ignored) {
				// already failing; the first error is the one to report
			}
	}

	/** Resolves torch's persistent ids ('storage', type, key, location, numel) to shared storages. */
	private static final class Storages {
		private final String shown, archive;
		private final ZipFile zip;
		private final FileChannel ch;
		private final ZipDirectory dir;
		private final Map<String, TensorStorage> byKey = new HashMap<>();

		Storages(String shown, String archive, ZipFile zip, FileChannel ch, ZipDirectory dir) {
			this.shown = shown;
			this.archive = archive;
			this.zip = zip;
			this.ch = ch;
			this.dir = dir;
		}

		Object load(Object pid) throws CheckpointException {
			if (!(pid instanceof PickleTuple) || ((List<?>) pid).size() != 5 || !"storage".equals(((List<?>) pid).get(0)))
				throw new CheckpointException(shown + " has a persistent reference that is not a tensor storage; " +
					"it is not a plain weights checkpoint.");
			List<?> t = (List<?>) pid;
			if (!(t.get(1) instanceof TorchGlobals.StorageType) || !(t.get(2) instanceof String) || !(t.get(4) instanceof Long))
				throw TorchGlobals.bad("a storage reference");
			TensorDtype dtype = ((TorchGlobals.StorageType) t.get(1)).dtype;
			String key = (String) t.get(2);
			long numel = (Long) t.get(4);
			TensorStorage s = byKey.get(key);
			if (s != null) {
				if (s.dtype() != dtype) throw TorchGlobals.bad("one storage with two dtypes");
				return s;
			}
			ZipDirectory.Entry e = dir.get(archive + "data/" + key);
			if (e == null) throw new CheckpointException(shown + " lacks the data of storage " + key +
				"; the file is incomplete. Download it again.");
			if (numel < 0 || e.size < numel * dtype.size()) throw new CheckpointException(shown + ": storage " + key +
				" holds " + e.size + " bytes, fewer than its " + numel + " elements of " + dtype + " need; the file is damaged.");
			s = new TensorStorage(key, dtype, numel, source(e, numel * dtype.size()));
			byKey.put(key, s);
			return s;
		}

		/** Mapped in place when stored (as torch.save writes); read into the heap if someone recompressed the zip. */
		private TensorStorage.Source source(ZipDirectory.Entry e, long bytes) {
			ByteBuffer[] cached = new ByteBuffer[1];
			return () -> {
				if (cached[0] != null) return cached[0];
				if (bytes > Integer.MAX_VALUE) throw new CheckpointException("Storage " + e.name +
					" is over 2 GB; such storages are not supported.");
				try {
					if (e.method == ZipDirectory.STORED) {
						long at = ZipDirectory.dataOffset(ch, e, shown);
						cached[0] = ch.map(FileChannel.MapMode.READ_ONLY, at, bytes);
					} else {
						try (InputStream in = zip.getInputStream(zip.getEntry(e.name))) {
							cached[0] = ByteBuffer.wrap(in.readNBytes((int) bytes));
						}
					}
					return cached[0];
				} catch (IOException x) {
					throw new CheckpointException("Cannot read storage " + e.name + " of " + shown + ": " + x.getMessage(), x);
				}
			};
		}
	}
}
