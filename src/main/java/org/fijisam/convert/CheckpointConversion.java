package org.fijisam.convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import org.fijisam.checkpoint.Checkpoint;
import org.fijisam.checkpoint.CheckpointException;
import org.fijisam.checkpoint.CheckpointTensor;
import org.fijisam.core.AtomicFiles;
import org.fijisam.core.Cancellation;
import org.fijisam.core.CancelledException;
import org.fijisam.core.Hashes;
import org.fijisam.core.ProgressListener;
import org.fijisam.model.ModelDescriptor;

/**
 * Converts an official checkpoint into a model folder the plugin loads: the template's graphs,
 * the weights files written from the checkpoint in the template's order, and sam.json with the
 * SHA-256 of every file. Every tensor is checked by name and shape before anything is written;
 * the folder is assembled in a scratch folder beside the target and renamed into place, so a
 * failure (a full disk included) leaves no half-written model behind.
 */
public final class CheckpointConversion {

	/** How many names a message lists before it says "and N more". */
	private static final int LISTED = 12;

	/** What a conversion produced. */
	public static final class Result {
		public final Path folder;
		public final List<String> notes;
		public final long weightBytes;

		Result(Path folder, List<String> notes, long weightBytes) {
			this.folder = folder;
			this.notes = notes;
			this.weightBytes = weightBytes;
		}
	}

	private CheckpointConversion() {}

	/** {@link #convert(Path, String, String, Path, ProgressListener, Cancellation)} that cannot be cancelled. */
	public static Result convert(Path checkpoint, String family, String size, Path modelFolder,
		ProgressListener progress) throws ConversionException
	{
		try {
			return convert(checkpoint, family, size, modelFolder, progress, Cancellation.NEVER);
		}
		catch (CancelledException e) {
			throw new AssertionError("never cancelled", e);
		}
	}

	/**
	 * @param family "sam1" (SAM ViT-B/L/H, MobileSAM and micro-sam vit_t/b/l/h) or "sam2" (SAM 2.1)
	 * @param size e.g. "vit_b", "hiera_t" (or the catalog's "hiera_tiny"); {@link ConversionTemplate#available()} lists what this jar converts
	 * @param modelFolder created; it must not exist, or be an empty folder
	 */
	public static Result convert(Path checkpoint, String family, String size, Path modelFolder,
		ProgressListener progress, Cancellation cancel) throws ConversionException, CancelledException
	{
		return convert(checkpoint, null, family, size, modelFolder, progress, cancel);
	}

	/**
	 * @param instanceDecoderFile micro-sam's instance decoder as its own file (the decoder state
	 *        dict that micro-sam's model registry and bioimage.io publish beside the SAM
	 *        checkpoint, "vit_b_decoder.pt"), or null: then a "decoder_state" inside the
	 *        checkpoint is used if there is one
	 */
	public static Result convert(Path checkpoint, Path instanceDecoderFile, String family, String size,
		Path modelFolder, ProgressListener progress, Cancellation cancel) throws ConversionException,
		CancelledException
	{
		ConversionTemplate template = ConversionTemplate.load(family, size);
		Path target = modelFolder.toAbsolutePath().normalize();
		refuseExisting(target);
		try (Checkpoint ckpt = Checkpoint.open(checkpoint);
			Checkpoint decoderFile = instanceDecoderFile == null ? null : Checkpoint.open(instanceDecoderFile))
		{
			CheckpointContents contents = CheckpointContents.of(ckpt.root());
			check(template, contents.tensors, checkpoint);
			List<String> notes = new ArrayList<>(contents.notes);
			Map<String, CheckpointTensor> decoderTensors = contents.instanceDecoder;
			Path decoderSource = checkpoint;
			if (decoderFile != null) {
				decoderTensors = CheckpointContents.instanceDecoderFile(decoderFile.root());
				decoderSource = instanceDecoderFile;
				if (!contents.instanceDecoder.isEmpty()) notes.add("the checkpoint's own \"decoder_state\" was " +
					"replaced by " + instanceDecoderFile.getFileName());
				if (decoderTensors.isEmpty()) throw new ConversionException(instanceDecoderFile.getFileName() +
					" holds no tensors: is it micro-sam's instance decoder (a state dict, as vit_b_decoder.pt)?");
			}
			ConversionTemplate decoder = instanceDecoder(template, decoderTensors, decoderSource, decoderFile != null,
				notes);
			long bytes = write(template, contents.tensors, decoder, decoderTensors, checkpoint, decoderSource, target,
				progress, cancel);
			return new Result(target, notes, bytes);
		}
		catch (CheckpointException e) {
			throw new ConversionException(e.getMessage(), e);
		}
		catch (IOException e) {
			throw new ConversionException("Cannot write the model folder " + target + ": " + e.getMessage() +
				". Nothing was left behind; free some space or choose another folder.", e);
		}
	}

	/** Names and shapes, in that order: a wrong family says so instead of listing every tensor. */
	static void check(ConversionTemplate t, Map<String, CheckpointTensor> tensors, Path file)
		throws ConversionException
	{
		String what = file.getFileName() + " (" + t.family + " " + t.size + ")";
		FamilyGuess guess = FamilyGuess.of(tensors);
		if (!t.family.equals(guess.family)) throw new ConversionException("The checkpoint " + file.getFileName() +
			" looks like " + guess.describe() + " but family " + t.family + " was declared. " + (guess.family != null
				? "Convert it as family " + guess.family + (guess.size != null ? " size " + guess.size : "") + "."
				: "Is it a SAM checkpoint?"));
		boolean templateTinyVit = t.tensors.keySet().stream().anyMatch(k -> k.startsWith("image_encoder.layers."));
		if (guess.tinyVit != templateTinyVit) throw new ConversionException("The checkpoint " + file.getFileName() +
			" looks like " + guess.describe() + " but size " + t.size + " " + (templateTinyVit ? "(TinyViT)" :
				"(a ViT)") + " was declared. Convert it as size " + (guess.tinyVit ? "vit_t" : "vit_b, vit_l or vit_h") +
			".");
		if (guess.size != null && !guess.size.equals(t.size)) throw new ConversionException("The checkpoint " + file
			.getFileName() + " looks like " + guess.describe() + " but size " + t.size + " was declared. Convert " +
			"it as size " + guess.size + ".");
		checkTensors(t, tensors, what);
	}

	/**
	 * The template of micro-sam's instance decoder when the checkpoint has one ("decoder_state")
	 * that this jar converts, its tensors checked; otherwise null, with a note saying why. A
	 * decoder given as a file of its own that cannot be converted is an error, not a note.
	 */
	static ConversionTemplate instanceDecoder(ConversionTemplate model, Map<String, CheckpointTensor> tensors, Path file,
		boolean givenAsFile, List<String> notes) throws ConversionException
	{
		if (tensors.isEmpty()) return null;
		String size = MicroSamDecoder.templateSize(tensors);
		String why = size == null ? "it is not micro-sam's instance decoder (a UNETR decoder)"
			: !ConversionTemplate.exists(MicroSamDecoder.FAMILY, size)
				? "this plugin has no template for micro-sam's instance decoder " + size : null;
		if (why != null) {
			if (givenAsFile) throw new ConversionException(file.getFileName() + " was given as micro-sam's instance " +
				"decoder, but " + why + ". Leave it out to convert the SAM model alone.");
			notes.add("its \"decoder_state\" was not converted (the converted model segments with prompts and the " +
				"automatic mask generator): " + why);
			return null;
		}
		long channels = model.descriptor.getAsJsonArray("embedding_shape").get(0).getAsLong();
		if (MicroSamDecoder.embeddingChannels(tensors) != channels) throw new ConversionException("The checkpoint " +
			file.getFileName() + " has an instance decoder (\"decoder_state\") for " + MicroSamDecoder.embeddingChannels(
				tensors) + "-channel embeddings, but its SAM (" + model.size + ") makes " + channels + " channels.");
		ConversionTemplate t = ConversionTemplate.load(MicroSamDecoder.FAMILY, size);
		checkTensors(t, tensors, file.getFileName() + " \"decoder_state\" (micro-sam instance decoder " + size + ")");
		notes.add("its \"decoder_state\" (micro-sam's instance decoder, " + size + ") became instance_decoder.onnx: " +
			"mode ais segments with it");
		return t;
	}

	/** Every tensor of the template present with its shape, nothing else, weights floating point. */
	private static void checkTensors(ConversionTemplate t, Map<String, CheckpointTensor> tensors, String what)
		throws ConversionException
	{
		List<String> missing = new ArrayList<>(), extra = new ArrayList<>(), shapes = new ArrayList<>(),
			types = new ArrayList<>();
		java.util.Set<String> written = new java.util.HashSet<>();
		for (List<ConversionTemplate.Slot> slots : t.weights.values())
			for (ConversionTemplate.Slot s : slots)
				written.add(s.name);
		for (Map.Entry<String, long[]> e : t.tensors.entrySet()) {
			CheckpointTensor c = tensors.get(e.getKey());
			if (c == null) missing.add(e.getKey());
			else if (!java.util.Arrays.equals(c.shape(), e.getValue())) shapes.add(e.getKey() + " is " + FamilyGuess
				.shape(c) + ", expected " + java.util.Arrays.toString(e.getValue()));
			// Tensors the graphs do not read (batch-norm counters, a classifier head) may be of any type.
			else if (written.contains(e.getKey()) && !c.dtype().isWeightType()) types.add(e.getKey() + " is " + c
				.dtype());
		}
		for (String k : tensors.keySet())
			if (!t.tensors.containsKey(k)) extra.add(k);
		StringBuilder sb = new StringBuilder();
		list(sb, missing, "tensor", "missing");
		list(sb, extra, "tensor", "not part of the model (extra)");
		list(sb, shapes, "tensor", "of the wrong shape");
		list(sb, types, "tensor", "not floating point");
		if (sb.length() > 0) throw new ConversionException("The checkpoint " + what + " does not match the " +
			"architecture:" + sb + "\nIs it the right size, and a checkpoint of the model itself (not of a " +
			"fine-tuning run's optimizer, nor an adapter)?");
	}

	private static void list(StringBuilder sb, List<String> items, String noun, String what) {
		if (items.isEmpty()) return;
		sb.append("\n  ").append(items.size()).append(' ').append(noun).append(items.size() == 1 ? " is " : "s are ")
			.append(what).append(": ").append(String.join(", ", items.subList(0, Math.min(LISTED, items.size()))));
		if (items.size() > LISTED) sb.append(" and ").append(items.size() - LISTED).append(" more");
	}

	private static void refuseExisting(Path target) throws ConversionException {
		if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
		boolean empty = false;
		if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
			try (Stream<Path> s = Files.list(target)) {
				empty = !s.findAny().isPresent();
			}
			catch (IOException e) {
				// unreadable: treated as not empty
			}
		}
		if (!empty) throw new ConversionException(target + " already exists. A conversion writes a new model " +
			"folder and never replaces one: choose another folder or remove it first.");
	}

	private static long write(ConversionTemplate t, Map<String, CheckpointTensor> tensors, ConversionTemplate decoder,
		Map<String, CheckpointTensor> decoderTensors, Path checkpoint, Path decoderSource, Path target,
		ProgressListener progress, Cancellation cancel) throws IOException, CheckpointException, ConversionException, CancelledException
	{
		Map<ConversionTemplate, Map<String, CheckpointTensor>> parts = new java.util.LinkedHashMap<>();
		parts.put(t, tensors);
		if (decoder != null) parts.put(decoder, decoderTensors);
		Path parent = target.getParent();
		Files.createDirectories(parent);
		AtomicFiles.removeLeftovers(parent);
		Path scratch = AtomicFiles.scratch(parent, target.getFileName().toString(), "partial", "");
		try {
			Files.createDirectory(scratch);
			long all = 0;
			for (ConversionTemplate p : parts.keySet())
				for (Map.Entry<String, List<ConversionTemplate.Slot>> w : p.weights.entrySet())
					all += WeightsWriter.length(w.getValue(), p.tensors);
			final long total = Math.max(all, 1);
			WeightsWriter writer = new WeightsWriter();
			for (Map.Entry<ConversionTemplate, Map<String, CheckpointTensor>> p : parts.entrySet()) {
				for (Map.Entry<String, List<ConversionTemplate.Slot>> w : p.getKey().weights.entrySet()) {
					String name = w.getKey();
					writer.write(scratch.resolve(name), w.getValue(), p.getValue(), cancel, done -> progress.progress(
						0.95 * done / total, "writing " + name));
				}
				for (String graph : p.getKey().graphs.keySet())
					Files.write(scratch.resolve(graph), p.getKey().graph(graph), StandardOpenOption.CREATE_NEW);
			}
			progress.progress(0.96, "hashing");
			writeDescriptor(t, decoder, checkpoint, decoderSource, scratch);
			cancel.check();
			moveIntoPlace(scratch, target);
			progress.progress(1, "done");
			return all;
		}
		finally {
			deleteTree(scratch);
			AtomicFiles.release(scratch);
		}
	}

	/** sam.json: the model template's descriptor, with the instance decoder template's sections when there is one. */
	private static void writeDescriptor(ConversionTemplate t, ConversionTemplate decoder, Path checkpoint,
		Path decoderSource, Path folder) throws IOException
	{
		JsonObject d = t.descriptor.deepCopy();
		String stem = checkpoint.getFileName().toString().replaceFirst("\\.(pt|pth|safetensors)$", "");
		JsonObject head = new JsonObject();
		head.add("format", d.remove("format"));
		head.addProperty("name", stem + " (" + t.family + " " + t.size + ")");
		for (Map.Entry<String, com.google.gson.JsonElement> e : d.entrySet())
			head.add(e.getKey(), e.getValue());
		if (decoder != null) for (Map.Entry<String, com.google.gson.JsonElement> e : decoder.descriptor.entrySet())
			head.add(e.getKey(), e.getValue().deepCopy());
		JsonObject from = new JsonObject();
		from.addProperty("checkpoint", checkpoint.getFileName().toString());
		from.addProperty("family", t.family);
		from.addProperty("size", t.size);
		if (decoder != null) from.addProperty("instance_decoder", decoder.size);
		if (decoder != null && !decoderSource.equals(checkpoint)) from.addProperty("instance_decoder_file",
			decoderSource.getFileName().toString());
		head.add("converted_from", from);
		Map<String, String> hashes = new TreeMap<>();
		try (Stream<Path> s = Files.list(folder)) {
			for (Path f : (Iterable<Path>) s::iterator)
				hashes.put(f.getFileName().toString(), Hashes.sha256Hex(f));
		}
		JsonObject sha = new JsonObject();
		hashes.forEach(sha::addProperty);
		head.add("sha256", sha);
		String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(head) + "\n";
		Path file = folder.resolve(ModelDescriptor.FILE_NAME);
		Files.write(file, json.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
			StandardOpenOption.SYNC);
	}

	/**
	 * One rename: the model appears whole or not at all. An empty folder standing at the target
	 * (made by the user for it) is replaced; anything else was refused before writing.
	 */
	private static void moveIntoPlace(Path scratch, Path target) throws IOException, ConversionException {
		try {
			Files.deleteIfExists(target);
		}
		catch (DirectoryNotEmptyException e) {
			throw new ConversionException(target + " was filled while the conversion ran; the converted model " +
				"was not moved there.");
		}
		try {
			Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException e) {
			Files.move(scratch, target);
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator)
				Files.deleteIfExists(p);
		}
	}
}
