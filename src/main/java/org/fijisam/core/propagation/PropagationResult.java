package org.fijisam.core.propagation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every object carried through a stack, in the order they were given. */
public final class PropagationResult {

	private final int planes;
	private final int width;
	private final int height;
	private final List<PropagatedObject> objects;
	private final boolean cancelled;

	PropagationResult(int planes, int width, int height, List<PropagatedObject> objects, boolean cancelled) {
		this.planes = planes;
		this.width = width;
		this.height = height;
		this.objects = Collections.unmodifiableList(new ArrayList<>(objects));
		this.cancelled = cancelled;
	}

	/** Number of planes in the stack (not only those with objects). */
	public int planes() { return planes; }

	public int width() { return width; }

	public int height() { return height; }

	public List<PropagatedObject> objects() { return objects; }

	/** True when the user cancelled: the planes done before are kept, the rest is missing. */
	public boolean cancelled() { return cancelled; }

	/** The objects painted into one label image per plane ({@link LabelVolume#paint}). */
	public int[][] labelVolume() {
		return LabelVolume.paint(this);
	}
}
