package org.fijisam.core.propagation;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.fijisam.core.BinaryMask;

/** One object through the stack: its mask on every plane it was followed to, and why it stopped each way. */
public final class PropagatedObject {

	private final int label;
	private final TreeMap<Integer, BinaryMask> masks = new TreeMap<>();
	private final Map<Integer, PlaneScore> scores = new TreeMap<>();
	private final Map<Direction, StopReason> stops = new EnumMap<>(Direction.class);

	PropagatedObject(int label) {
		this.label = label;
	}

	public int label() { return label; }

	/** Plane index (0-based) to mask, in plane order; the start plane included. */
	public SortedMap<Integer, BinaryMask> masks() {
		return Collections.unmodifiableSortedMap(masks);
	}

	/** The mask on a plane, or null where the object was not followed. */
	public BinaryMask mask(int plane) {
		return masks.get(plane);
	}

	/** The model's scores for the mask on a plane ({@link PlaneScore#UNKNOWN} where not known), or null. */
	public PlaneScore score(int plane) {
		return scores.get(plane);
	}

	public int firstPlane() { return masks.firstKey(); }

	public int lastPlane() { return masks.lastKey(); }

	/** Why it stopped in a direction; null only while propagation is under way. */
	public StopReason stop(Direction d) {
		return stops.get(d);
	}

	void put(int plane, BinaryMask mask, PlaneScore score) {
		masks.put(plane, mask);
		scores.put(plane, score);
	}

	void stopped(StopReason reason) {
		stops.putIfAbsent(reason.direction(), reason);
	}

	@Override
	public String toString() {
		return "object " + label + ": planes " + (firstPlane() + 1) + ".." + (lastPlane() + 1) + "; " + stops.values();
	}
}
