package org.fijisam.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A (possibly nested) dict read from a checkpoint. Official checkpoints nest differently:
 * SAM 1 and MobileSAM are a flat state dict, SAM 2 puts it under "model", micro-sam under
 * "model_state" (with "decoder_state" beside it); {@link #subDict} reaches in, {@link #tensors}
 * lists every tensor below with dotted names as PyTorch's state_dict() would write them.
 */
public final class StateDict {
	/** Where this dict sits in the file ("" or "model."), for messages only: names inside are relative. */
	private final String path;
	private final Map<?, ?> map;

	StateDict(String path, Map<?, ?> map) {
		this.path = path;
		this.map = map;
	}

	/** Deeper than any checkpoint nests: the limit keeps a crafted file from exhausting the stack. */
	static final int MAX_DEPTH = 64;
	/**
	 * More values than a checkpoint with optimizer state has (a ViT-H state dict has ~600);
	 * counted with repetition, so a pickle reusing one list at every level (2^64 paths from a
	 * few bytes) is refused instead of walked forever.
	 */
	static final long MAX_VISITS = 10_000_000;

	/**
	 * Refuses structures that contain themselves, nest absurdly deep, or expand to more values
	 * than any checkpoint holds, all of which a pickle can express with its memo but no saved
	 * state dict has; after this, walking the tree is cheap and terminates.
	 */
	static void checkTree(Map<?, ?> root, String shown) throws CheckpointException {
		long[] visits = { 0 };
		checkTree(root, shown, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), 0, visits);
	}

	private static void checkTree(Object o, String shown, java.util.Set<Object> path, int depth, long[] visits)
		throws CheckpointException {
		if (++visits[0] > MAX_VISITS) throw new CheckpointException(shown + " expands to over " + MAX_VISITS +
			" values; it is not a plain weights checkpoint.");
		if (!(o instanceof Map) && !(o instanceof List)) return;
		if (depth > MAX_DEPTH || !path.add(o)) throw new CheckpointException(shown +
			" holds a structure that contains itself or nests over " + MAX_DEPTH +
			" levels; it is not a plain weights checkpoint.");
		for (Object v : o instanceof Map ? ((Map<?, ?>) o).values() : (List<?>) o)
			checkTree(v, shown, path, depth + 1, visits);
		path.remove(o);
	}

	/** Keys at this level, in file order (non-string keys as their text). */
	public List<String> keys() {
		List<String> k = new ArrayList<>();
		for (Object o : map.keySet())
			k.add(String.valueOf(o));
		return k;
	}

	public boolean has(String key) {
		return map.containsKey(key);
	}

	/** The raw value: a tensor's {@link TensorData}, a Map, List, String, Long, Double, Boolean or null. */
	public Object get(String key) {
		return map.get(key);
	}

	/**
	 * The dict under {@code key}, e.g. "model" of a SAM 2 checkpoint; its tensor names are
	 * relative to it, as the state dict's own names are.
	 */
	public StateDict subDict(String key) throws CheckpointException {
		Object v = map.get(key);
		if (!(v instanceof Map)) throw new CheckpointException("The checkpoint has no dict named \"" + path + key +
			"\"" + (map.containsKey(key) ? "" : "; it has " + keys()) + ".");
		return new StateDict(path + key + ".", (Map<?, ?>) v);
	}

	/** The tensor under a dotted name relative to this dict. */
	public CheckpointTensor tensor(String name) throws CheckpointException {
		CheckpointTensor t = tensors().get(name);
		if (t == null) throw new CheckpointException("The checkpoint has no tensor named \"" + path + name + "\".");
		return t;
	}

	/** Every tensor at any depth, keyed by its dotted name relative to this dict, in file order. */
	public Map<String, CheckpointTensor> tensors() {
		Map<String, CheckpointTensor> out = new LinkedHashMap<>();
		collect("", map, out);
		return Collections.unmodifiableMap(out);
	}

	/**
	 * The tensors whose dotted names start with {@code prefix + "."}, the prefix removed:
	 * works alike for nested dicts and for flat files (safetensors) that spell the nesting
	 * only in their names.
	 */
	public Map<String, CheckpointTensor> tensorsUnder(String prefix) {
		String p = prefix + ".";
		Map<String, CheckpointTensor> out = new LinkedHashMap<>();
		for (CheckpointTensor t : tensors().values())
			if (t.name().startsWith(p)) {
				String name = t.name().substring(p.length());
				out.put(name, new CheckpointTensor(name, t.data()));
			}
		return Collections.unmodifiableMap(out);
	}

	private static void collect(String prefix, Map<?, ?> m, Map<String, CheckpointTensor> out) {
		for (Map.Entry<?, ?> e : m.entrySet()) {
			String name = prefix + e.getKey();
			Object v = e.getValue();
			if (v instanceof TensorData) out.put(name, new CheckpointTensor(name, (TensorData) v));
			else if (v instanceof Map) collect(name + ".", (Map<?, ?>) v, out);
		}
	}
}
