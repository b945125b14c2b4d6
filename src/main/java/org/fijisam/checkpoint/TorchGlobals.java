package org.fijisam.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allowlist of Python globals a PyTorch state dict refers to, each with a Java stand-in:
 * OrderedDict builds a map, the tensor rebuild functions build a {@link TensorData} view, the
 * storage types name a dtype. Nothing else resolves, which is what makes reading safe.
 */
final class TorchGlobals implements PickleReader.Globals {

	/** Something a pickle may name; the name is what refusals quote. */
	interface Named {
		String qualifiedName();
	}

	/** A storage class such as torch.FloatStorage: only its dtype matters. */
	static final class StorageType implements Named {
		final String name;
		final TensorDtype dtype;

		StorageType(String name, TensorDtype dtype) {
			this.name = name;
			this.dtype = dtype;
		}

		@Override
		public String qualifiedName() {
			return "torch." + name;
		}
	}

	private abstract static class Function implements PickleFunction, Named {
		private final String name;

		Function(String name) {
			this.name = name;
		}

		@Override
		public String qualifiedName() {
			return name;
		}
	}

	private final Map<String, Object> allowed = new LinkedHashMap<>();

	TorchGlobals() {
		allowed.put("collections.OrderedDict", new Function("collections.OrderedDict") {
			@Override
			public Object call(List<Object> args) throws CheckpointException {
				// OrderedDict() or OrderedDict(iterable of pairs); state dicts use the former
				Map<Object, Object> m = new LinkedHashMap<>();
				if (!args.isEmpty()) {
					if (args.size() != 1 || !(args.get(0) instanceof List)) throw bad(qualifiedName());
					for (Object kv : (List<?>) args.get(0)) {
						if (!(kv instanceof List) || ((List<?>) kv).size() != 2) throw bad(qualifiedName());
						m.put(((List<?>) kv).get(0), ((List<?>) kv).get(1));
					}
				}
				return m;
			}
		});
		allowed.put("torch._utils._rebuild_tensor_v2", new Function("torch._utils._rebuild_tensor_v2") {
			@Override
			public Object call(List<Object> a) throws CheckpointException {
				// (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
				if (a.size() < 4 || !(a.get(0) instanceof TensorStorage)) throw bad(qualifiedName());
				if (a.size() > 5 && a.get(5) instanceof Map && !((Map<?, ?>) a.get(5)).isEmpty())
					throw bad(qualifiedName() + " with backward hooks");
				return new TensorData((TensorStorage) a.get(0), number(a.get(1)), longs(a.get(2)), longs(a.get(3)));
			}
		});
		PickleFunction parameter = new Function("torch._utils._rebuild_parameter") {
			@Override
			public Object call(List<Object> a) throws CheckpointException {
				// (data, requires_grad, backward_hooks[, state]): a Parameter is its data for reading
				if (a.isEmpty() || !(a.get(0) instanceof TensorData)) throw bad(qualifiedName());
				return a.get(0);
			}
		};
		allowed.put("torch._utils._rebuild_parameter", parameter);
		allowed.put("torch._utils._rebuild_parameter_with_state", parameter);
		storage("FloatStorage", TensorDtype.F32);
		storage("HalfStorage", TensorDtype.F16);
		storage("BFloat16Storage", TensorDtype.BF16);
		storage("DoubleStorage", TensorDtype.F64);
		storage("LongStorage", TensorDtype.I64);
		storage("IntStorage", TensorDtype.I32);
		storage("ShortStorage", TensorDtype.I16);
		storage("CharStorage", TensorDtype.I8);
		storage("ByteStorage", TensorDtype.U8);
		storage("BoolStorage", TensorDtype.BOOL);
	}

	private void storage(String name, TensorDtype dtype) {
		allowed.put("torch." + name, new StorageType(name, dtype));
	}

	@Override
	public Object resolve(String module, String name) {
		return allowed.get(module + "." + name);
	}

	static CheckpointException bad(String what) {
		return new CheckpointException("The checkpoint calls " + what +
			" with arguments PyTorch never writes; the file is corrupt or not a plain weights checkpoint.");
	}

	static long number(Object o) throws CheckpointException {
		if (o instanceof Long) return (Long) o;
		throw bad("a tensor rebuild with a non-integer size");
	}

	static long[] longs(Object o) throws CheckpointException {
		if (!(o instanceof PickleTuple)) throw bad("a tensor rebuild without a shape tuple");
		List<?> l = (List<?>) o;
		long[] r = new long[l.size()];
		for (int i = 0; i < r.length; i++)
			r[i] = number(l.get(i));
		return r;
	}
}
