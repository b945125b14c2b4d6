package org.fijisam.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An open checkpoint file: PyTorch's zip format or safetensors, told apart by their first
 * bytes. Tensors are read from the file when asked for, so nothing large sits on the heap;
 * keep it open while reading and close it afterwards.
 */
public final class Checkpoint implements Closeable {
	private final String format;
	private final StateDict root;
	private final Closeable resources;

	Checkpoint(String format, StateDict root, Closeable resources) {
		this.format = format;
		this.root = root;
		this.resources = resources;
	}

	/** Opens a PyTorch (.pt/.pth, zip format) or safetensors checkpoint. */
	public static Checkpoint open(Path file) throws CheckpointException {
		byte[] head = new byte[8];
		int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(head, 0, 8);
		} catch (IOException e) {
			throw new CheckpointException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
			return TorchZipCheckpoint.open(file);
		if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] <= 5) throw new CheckpointException(file.getFileName() +
			" is a PyTorch checkpoint in the legacy format (saved before PyTorch 1.6 or with " +
			"_use_new_zipfile_serialization=False), which is not read. Re-save it with a current PyTorch: " +
			"torch.save(torch.load(path), new_path).");
		if (n == 8 && SafetensorsFile.looksLike(head)) return SafetensorsFile.open(file);
		throw new CheckpointException(file.getFileName() +
			" is neither a PyTorch checkpoint (.pt/.pth) nor a safetensors file.");
	}

	/** "pytorch-zip" or "safetensors". */
	public String format() {
		return format;
	}

	/** The top-level dict. */
	public StateDict root() {
		return root;
	}

	@Override
	public void close() throws IOException {
		resources.close();
	}
}
