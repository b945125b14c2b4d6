package org.fijisam.checkpoint;

import java.util.List;

/**
 * A callable a pickle may REDUCE: only Java implementations from the allowlist in
 * {@link TorchGlobals} exist, so unpickling can build dicts and tensor views, nothing else.
 */
public interface PickleFunction {
	Object call(List<Object> args) throws CheckpointException;
}
