package org.fijisam.checkpoint;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple from a pickle: an immutable list (distinct from a list, which is mutable). */
public final class PickleTuple extends AbstractList<Object> {
	private final Object[] items;

	PickleTuple(List<Object> items) {
		this.items = items.toArray();
	}

	@Override
	public Object get(int index) {
		return items[index];
	}

	@Override
	public int size() {
		return items.length;
	}
}
