package org.fijisam.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted unpickler: it knows only the opcodes a saved state dict uses and resolves
 * globals through an allowlist, so a pickle can produce dicts, lists, tuples, scalars and
 * whatever the allowlisted Java functions return, and nothing else. Python's pickle would
 * call any global a file names (os.system included); here anything unknown is refused
 * before it could mean anything. Values: None is null, ints are Long (BigInteger when
 * wider), floats Double, str String, dict LinkedHashMap, list ArrayList, tuple PickleTuple.
 */
public final class PickleReader {

	/** Resolves GLOBAL / STACK_GLOBAL; returns null for what is not allowed. */
	public interface Globals {
		Object resolve(String module, String name);
	}

	/** Resolves BINPERSID ids (torch's references to tensor storages). */
	public interface PersistentLoader {
		Object load(Object pid) throws CheckpointException;
	}

	private static final String NOT_WEIGHTS = "; it is not a plain weights checkpoint, so it is not read " +
		"(nothing in it was run). Use a checkpoint that holds only a state dict, or re-save one with " +
		"torch.save(model.state_dict(), path).";

	private final ByteBuffer in;
	private final Globals globals;
	private final PersistentLoader persistent;
	private final String source;
	private final List<Object> stack = new ArrayList<>();
	private final List<Integer> marks = new ArrayList<>();
	private final Map<Long, Object> memo = new HashMap<>();
	/**
	 * Values pushed so far. A ViT-H state dict pushes some 20 000; the cap keeps a small file
	 * of cheap opcodes (each a new list) from filling the heap.
	 */
	static final long MAX_PUSHES = 5_000_000;
	private long pushes;

	public PickleReader(byte[] data, String source, Globals globals, PersistentLoader persistent) {
		this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
		this.source = source;
		this.globals = globals;
		this.persistent = persistent;
	}

	/** Runs the opcodes to STOP and returns the top value. */
	public Object read() throws CheckpointException {
		try {
			while (true) {
				int at = in.position();
				int op = in.get() & 0xff;
				if (op == '.') return pop();
				step(op, at);
			}
		} catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
			throw new CheckpointException(source + " ends in the middle of a pickle; the file is truncated or corrupt.", e);
		}
	}

	private void step(int op, int at) throws CheckpointException {
		switch (op) {
			case 0x80: // PROTO
				int proto = in.get() & 0xff;
				if (proto > 5) throw new CheckpointException(source + " uses pickle protocol " + proto +
					", newer than any known; it is not a PyTorch checkpoint this plugin can read.");
				break;
			case 0x95: // FRAME: a length hint only
				in.getLong();
				break;
			case '(': marks.add(stack.size()); break;
			case '}': push(new LinkedHashMap<>()); break;
			case ']': push(new ArrayList<>()); break;
			case ')': push(new PickleTuple(List.of())); break;
			case 'N': push(null); break;
			case 0x88: push(Boolean.TRUE); break;
			case 0x89: push(Boolean.FALSE); break;
			case 'X': push(string(in.getInt() & 0xffffffffL)); break;
			case 0x8c: push(string(in.get() & 0xff)); break;
			case 0x8d: push(string(in.getLong())); break;
			case 'J': push((long) in.getInt()); break;
			case 'K': push((long) (in.get() & 0xff)); break;
			case 'M': push((long) (in.getShort() & 0xffff)); break;
			case 0x8a: push(long1()); break;
			case 'G': push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); break; // big-endian
			case 't': push(new PickleTuple(popMark())); break;
			case 0x85: push(tuple(1)); break;
			case 0x86: push(tuple(2)); break;
			case 0x87: push(tuple(3)); break;
			case 's': {
				Object v = pop(), k = pop();
				dict(peek(), "SETITEM", at).put(key(k, at), v);
				break;
			}
			case 'u': {
				List<Object> kv = popMark();
				Map<Object, Object> d = dict(peek(), "SETITEMS", at);
				for (int i = 0; i + 1 < kv.size(); i += 2)
					d.put(key(kv.get(i), at), kv.get(i + 1));
				break;
			}
			case 'a': {
				Object v = pop();
				list(peek(), "APPEND", at).add(v);
				break;
			}
			case 'e': {
				List<Object> items = popMark();
				list(peek(), "APPENDS", at).addAll(items);
				break;
			}
			case 'q': memo.put((long) (in.get() & 0xff), peek()); break;
			case 'r': memo.put(in.getInt() & 0xffffffffL, peek()); break;
			case 0x94: memo.put((long) memo.size(), peek()); break;
			case 'h': push(memoGet(in.get() & 0xff, at)); break;
			case 'j': push(memoGet(in.getInt() & 0xffffffffL, at)); break;
			case '0': pop(); break;
			case '1': popMark(); break;
			case '2': push(peek()); break;
			case 'c': push(global(line(), line())); break;
			case 0x93: {
				Object name = pop(), module = pop();
				if (!(module instanceof String) || !(name instanceof String)) throw refused("STACK_GLOBAL on non-strings", at);
				push(global((String) module, (String) name));
				break;
			}
			case 'R': {
				Object args = pop(), fn = pop();
				if (!(fn instanceof PickleFunction)) throw new CheckpointException(source + " calls " + describe(fn) +
					" (REDUCE at byte " + at + "), which is not an allowed function" + NOT_WEIGHTS);
				if (!(args instanceof PickleTuple)) throw refused("REDUCE with arguments that are not a tuple", at);
				push(((PickleFunction) fn).call((PickleTuple) args));
				break;
			}
			case 'Q': push(persistent.load(pop())); break;
			case 'b': build(pop(), peek(), at); break;
			default:
				throw refused("pickle opcode " + opName(op) + String.format(" (0x%02x)", op), at);
		}
	}

	/**
	 * BUILD sets an object's state. A state dict's OrderedDict carries {"_metadata": ...}
	 * (module versions) that way; that is the only BUILD allowed and the state is dropped,
	 * since weights do not depend on it.
	 */
	private void build(Object state, Object target, int at) throws CheckpointException {
		if (target instanceof Map && (state == null || state instanceof Map)) return;
		throw refused("BUILD on " + describe(target), at);
	}

	/**
	 * State dicts are keyed by names (and the odd int); Python refuses unhashable keys, and a
	 * list key could even contain itself, so only scalars are taken.
	 */
	private Object key(Object k, int at) throws CheckpointException {
		if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double ||
			k instanceof BigInteger) return k;
		throw refused("a dict key of type " + describe(k), at);
	}

	private Object global(String module, String name) throws CheckpointException {
		Object g = globals.resolve(module, name);
		if (g == null) throw new CheckpointException(source + " refers to the Python global " + module + "." + name +
			", which a plain weights checkpoint never needs" + NOT_WEIGHTS);
		return g;
	}

	private CheckpointException refused(String what, int at) {
		return new CheckpointException(source + " uses " + what + " at byte " + at + NOT_WEIGHTS);
	}

	private static String describe(Object o) {
		if (o == null) return "None";
		if (o instanceof TorchGlobals.Named) return ((TorchGlobals.Named) o).qualifiedName();
		return o.getClass().getSimpleName();
	}

	private String string(long n) throws CheckpointException {
		if (n < 0 || n > in.remaining()) throw new CheckpointException(source +
			" has a string longer than the file; the file is truncated or corrupt.");
		byte[] b = new byte[(int) n];
		in.get(b);
		return new String(b, StandardCharsets.UTF_8);
	}

	/** GLOBAL's operands: text up to a newline. */
	private String line() {
		StringBuilder sb = new StringBuilder();
		for (byte c = in.get(); c != '\n'; c = in.get())
			sb.append((char) (c & 0xff));
		return sb.toString();
	}

	/** LONG1: n bytes of little-endian two's complement. */
	private Object long1() {
		int n = in.get() & 0xff;
		byte[] b = new byte[n];
		in.get(b);
		if (n == 0) return 0L;
		byte[] be = new byte[n];
		for (int i = 0; i < n; i++)
			be[i] = b[n - 1 - i];
		BigInteger v = new BigInteger(be);
		return v.bitLength() < 64 ? (Object) v.longValue() : v;
	}

	private Object memoGet(long key, int at) throws CheckpointException {
		if (!memo.containsKey(key)) throw new CheckpointException(source + " reads memo entry " + key +
			" that was never stored (byte " + at + "); the file is corrupt.");
		return memo.get(key);
	}

	@SuppressWarnings("unchecked")
	private Map<Object, Object> dict(Object o, String op, int at) throws CheckpointException {
		if (o instanceof Map) return (Map<Object, Object>) o;
		throw refused(op + " on " + describe(o), at);
	}

	@SuppressWarnings("unchecked")
	private List<Object> list(Object o, String op, int at) throws CheckpointException {
		if (o instanceof ArrayList) return (List<Object>) o;
		throw refused(op + " on " + describe(o), at);
	}

	private PickleTuple tuple(int n) throws CheckpointException {
		if (stack.size() < n) throw stackEmpty();
		List<Object> top = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
		for (int i = 0; i < n; i++)
			stack.remove(stack.size() - 1);
		return new PickleTuple(top);
	}

	private void push(Object o) throws CheckpointException {
		if (++pushes > MAX_PUSHES) throw new CheckpointException(source + " builds over " + MAX_PUSHES +
			" values, far more than a state dict" + NOT_WEIGHTS);
		stack.add(o);
	}

	private Object peek() throws CheckpointException {
		if (stack.isEmpty()) throw stackEmpty();
		return stack.get(stack.size() - 1);
	}

	private Object pop() throws CheckpointException {
		if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) >= stack.size())) throw stackEmpty();
		return stack.remove(stack.size() - 1);
	}

	private List<Object> popMark() throws CheckpointException {
		if (marks.isEmpty()) throw new CheckpointException(source + " closes a group it never opened; the file is corrupt.");
		int m = marks.remove(marks.size() - 1);
		List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
		while (stack.size() > m)
			stack.remove(stack.size() - 1);
		return items;
	}

	private CheckpointException stackEmpty() {
		return new CheckpointException(source + " pops more values than it pushed; the file is corrupt.");
	}

	/** Names of the opcodes we refuse, so the message says which one. */
	static String opName(int op) {
		switch (op) {
			case 'i': return "INST";
			case 'o': return "OBJ";
			case 0x81: return "NEWOBJ";
			case 0x92: return "NEWOBJ_EX";
			case 'P': return "PERSID";
			case 0x82: case 0x83: case 0x84: return "EXT";
			case 'I': return "INT";
			case 'L': return "LONG";
			case 'F': return "FLOAT";
			case 'S': case 'T': case 'U': return "STRING";
			case 'V': return "UNICODE";
			case 'B': case 'C': case 0x8e: return "BINBYTES";
			case 'd': return "DICT";
			case 'l': return "LIST";
			case 'g': return "GET";
			case 'p': return "PUT";
			case 0x8f: return "EMPTY_SET";
			case 0x90: return "ADDITEMS";
			case 0x91: return "FROZENSET";
			case 0x96: case 0x97: case 0x98: return "BUFFER";
			case 0x8b: return "LONG4";
			default: return "unknown";
		}
	}
}
