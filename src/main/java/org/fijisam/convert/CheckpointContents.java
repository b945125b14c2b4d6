package org.fijisam.convert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fijisam.checkpoint.CheckpointException;
import org.fijisam.checkpoint.CheckpointTensor;
import org.fijisam.checkpoint.StateDict;

/**
 * The model's tensors of a checkpoint, under the names the model's own state_dict() gives them,
 * whatever wrapping the file uses: SAM 1 and MobileSAM save the state dict itself, SAM 2 puts
 * it under "model", micro-sam under "model_state" with a "sam." prefix (its instance decoder
 * beside it in "decoder_state"), other trainers under "state_dict", and DataParallel prefixes
 * every name with "module.".
 */
final class CheckpointContents {

	/** Containers in the order they are tried: the first one present holds the weights. */
	private static final String[] CONTAINERS = { "model", "model_state", "state_dict" };

	final Map<String, CheckpointTensor> tensors;
	/** micro-sam's instance decoder ("decoder_state", names relative to it); empty when there is none. */
	final Map<String, CheckpointTensor> instanceDecoder;
	/** What was unwrapped or left out, in words, for the conversion report. */
	final List<String> notes;

	private CheckpointContents(Map<String, CheckpointTensor> tensors, Map<String, CheckpointTensor> instanceDecoder,
		List<String> notes)
	{
		this.tensors = Collections.unmodifiableMap(tensors);
		this.instanceDecoder = instanceDecoder;
		this.notes = Collections.unmodifiableList(notes);
	}

	static CheckpointContents of(StateDict root) throws CheckpointException {
		List<String> notes = new ArrayList<>();
		Map<String, CheckpointTensor> t = root.tensors();
		Map<String, CheckpointTensor> decoder = Collections.emptyMap();
		for (String c : CONTAINERS) {
			if (root.get(c) instanceof Map) t = root.subDict(c).tensors();
			else if (!t.isEmpty() && allStartWith(t, c + ".")) t = root.tensorsUnder(c); // flat safetensors names
			else continue;
			notes.add("the weights are the checkpoint's \"" + c + "\"");
			decoder = root.tensorsUnder("decoder_state");
			break;
		}
		for (String prefix : new String[] { "module.", "sam." })
			if (!t.isEmpty() && allStartWith(t, prefix)) {
				t = strip(t, prefix);
				notes.add("the prefix \"" + prefix + "\" was removed from every name");
			}
		return new CheckpointContents(new LinkedHashMap<>(t), decoder, notes);
	}

	/**
	 * micro-sam's instance decoder saved as a file of its own: the decoder state dict itself (as
	 * micro-sam's registry and its bioimage.io export write it), or a checkpoint holding one
	 * under "decoder_state".
	 */
	static Map<String, CheckpointTensor> instanceDecoderFile(StateDict root) throws CheckpointException {
		if (root.get("decoder_state") instanceof Map) return root.tensorsUnder("decoder_state");
		return new LinkedHashMap<>(root.tensors());
	}

	private static boolean allStartWith(Map<String, CheckpointTensor> t, String prefix) {
		for (String k : t.keySet())
			if (!k.startsWith(prefix)) return false;
		return true;
	}

	private static Map<String, CheckpointTensor> strip(Map<String, CheckpointTensor> t, String prefix) {
		Map<String, CheckpointTensor> out = new LinkedHashMap<>();
		for (CheckpointTensor v : t.values()) {
			String name = v.name().substring(prefix.length());
			out.put(name, new CheckpointTensor(name, v.data()));
		}
		return out;
	}
}
