package org.fijisam.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * safetensors: an 8-byte little-endian header length, a JSON header mapping each name to
 * {dtype, shape, data_offsets: [begin, end]} (offsets relative to the data after the header),
 * then the raw row-major little-endian data. Having no code in it, it needs only validation:
 * every tensor must lie inside the file, match its shape, and not overlap another.
 */
final class SafetensorsFile {
	/** The format's own reference implementation caps the header at 100 MB. */
	private static final long MAX_HEADER = 100_000_000L;

	private SafetensorsFile() {
	}

	/** A plausible header length followed by the opening brace of the JSON. */
	static boolean looksLike(byte[] head8) {
		long n = ByteBuffer.wrap(head8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
		return n > 1 && n <= MAX_HEADER;
	}

	static Checkpoint open(Path file) throws CheckpointException {
		String shown = file.getFileName().toString();
		FileChannel ch = null;
		try {
			ch = FileChannel.open(file, StandardOpenOption.READ);
			Map<String, Object> root = read(ch, shown);
			FileChannel c = ch;
			return new Checkpoint("safetensors", new StateDict("", root), c::close);
		} catch (IOException e) {
			close(ch);
			throw new CheckpointException("Cannot read " + shown + ": " + e.getMessage(), e);
		} catch (CheckpointException e) {
			close(ch);
			throw e;
		} catch (RuntimeException e) {
			close(ch);
			throw bad(shown, "its header does not describe tensors (" + e + ")");
		}
	}

	private static void close(FileChannel ch) {
		try {
			if (ch != null) ch.close();
		} catch (IOException ignored) {
			// already failing with a better message
		}
	}

	private static Map<String, Object> read(FileChannel ch, String shown) throws IOException, CheckpointException {
		long size = ch.size();
		if (size < 8) throw bad(shown, "it is shorter than the header length");
		ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		readFully(ch, lenBuf, 0);
		long headerLen = lenBuf.getLong(0);
		if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > size)
			throw bad(shown, "its header length " + headerLen + " does not fit the file of " + size + " bytes");
		ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
		readFully(ch, hb, 8);
		Object parsed;
		try {
			parsed = MiniJson.parse(new String(hb.array(), StandardCharsets.UTF_8));
		} catch (IllegalArgumentException e) {
			throw bad(shown, "its header is not valid JSON (" + e.getMessage() + ")");
		}
		if (!(parsed instanceof Map)) throw bad(shown, "its header is not a JSON object");
		long dataStart = 8 + headerLen, dataSize = size - dataStart;
		Map<String, Object> tensors = new LinkedHashMap<>();
		List<long[]> ranges = new ArrayList<>();
		List<String> rangeNames = new ArrayList<>();
		for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
			String name = (String) e.getKey();
			if (name.equals("__metadata__")) continue;
			if (!(e.getValue() instanceof Map)) throw bad(shown, "entry " + name + " is not an object");
			Map<?, ?> info = (Map<?, ?>) e.getValue();
			TensorDtype dtype = dtype(info.get("dtype"), name, shown);
			long[] shape = longs(info.get("shape"), name + ".shape", shown, -1);
			long[] off = longs(info.get("data_offsets"), name + ".data_offsets", shown, 2);
			long numel = 1;
			for (long d : shape) {
				if (d < 0) throw bad(shown, "tensor " + name + " has a negative dimension");
				numel = Math.multiplyExact(numel, d);
			}
			if (off[0] < 0 || off[1] < off[0] || off[1] > dataSize) throw bad(shown, "tensor " + name + " has data_offsets " +
				off[0] + ".." + off[1] + " outside the " + dataSize + " bytes of data");
			if (off[1] - off[0] != numel * dtype.size()) throw bad(shown, "tensor " + name + " has " + (off[1] - off[0]) +
				" bytes but its shape needs " + numel * dtype.size());
			ranges.add(off);
			rangeNames.add(name);
			long begin = dataStart + off[0], bytes = off[1] - off[0];
			TensorStorage storage = new TensorStorage(name, dtype, numel, map(ch, begin, bytes, name));
			tensors.put(name, new TensorData(storage, 0, shape, TensorData.contiguousStrides(shape)));
		}
		checkOverlap(ranges, rangeNames, shown);
		return tensors;
	}

	private static void checkOverlap(List<long[]> ranges, List<String> names, String shown) throws CheckpointException {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < ranges.size(); i++)
			order.add(i);
		order.sort(Comparator.comparingLong(i -> ranges.get(i)[0]));
		for (int k = 1; k < order.size(); k++) {
			long[] prev = ranges.get(order.get(k - 1)), cur = ranges.get(order.get(k));
			if (cur[0] < prev[1] && cur[1] > cur[0] && prev[1] > prev[0]) throw bad(shown, "tensors " +
				names.get(order.get(k - 1)) + " and " + names.get(order.get(k)) + " overlap");
		}
	}

	private static TensorStorage.Source map(FileChannel ch, long begin, long bytes, String name) {
		ByteBuffer[] cached = new ByteBuffer[1];
		return () -> {
			if (cached[0] != null) return cached[0];
			if (bytes > Integer.MAX_VALUE) throw new CheckpointException("Tensor " + name + " is over 2 GB; not supported.");
			try {
				cached[0] = ch.map(FileChannel.MapMode.READ_ONLY, begin, bytes);
				return cached[0];
			} catch (IOException e) {
				throw new CheckpointException("Cannot read tensor " + name + ": " + e.getMessage(), e);
			}
		};
	}

	private static TensorDtype dtype(Object o, String name, String shown) throws CheckpointException {
		if ("F32".equals(o)) return TensorDtype.F32;
		if ("F16".equals(o)) return TensorDtype.F16;
		if ("BF16".equals(o)) return TensorDtype.BF16;
		if ("F64".equals(o)) return TensorDtype.F64;
		if ("I64".equals(o)) return TensorDtype.I64;
		if ("I32".equals(o)) return TensorDtype.I32;
		if ("I16".equals(o)) return TensorDtype.I16;
		if ("I8".equals(o)) return TensorDtype.I8;
		if ("U8".equals(o)) return TensorDtype.U8;
		if ("BOOL".equals(o)) return TensorDtype.BOOL;
		throw bad(shown, "tensor " + name + " has the unsupported dtype " + o);
	}

	private static long[] longs(Object o, String what, String shown, int count) throws CheckpointException {
		if (!(o instanceof List)) throw bad(shown, what + " is missing or not a list");
		List<?> l = (List<?>) o;
		if (count >= 0 && l.size() != count) throw bad(shown, what + " has " + l.size() + " values, not " + count);
		long[] r = new long[l.size()];
		for (int i = 0; i < r.length; i++) {
			if (!(l.get(i) instanceof Long)) throw bad(shown, what + " holds a non-integer");
			r[i] = (Long) l.get(i);
		}
		return r;
	}

	private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
		while (b.hasRemaining())
			if (ch.read(b, pos + b.position()) < 0) throw new IOException("unexpected end of file");
	}

	private static CheckpointException bad(String shown, String what) {
		return new CheckpointException(shown + " is not a valid safetensors file: " + what +
			". The file is damaged or was not written by a safetensors writer; download or export it again.");
	}
}
