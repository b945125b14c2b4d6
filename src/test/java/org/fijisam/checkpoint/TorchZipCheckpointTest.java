package org.fijisam.checkpoint;

import static org.fijisam.checkpoint.CheckpointFixtures.assertTensor;
import static org.fijisam.checkpoint.CheckpointFixtures.expected;
import static org.fijisam.checkpoint.CheckpointFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fijisam.core.ModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchZipCheckpointTest {

	/** Every tensor of every PyTorch fixture reads back as PyTorch holds it, names in file order. */
	@Test
	void everyFixtureReadsBackAsPyTorchWroteIt() throws Exception {
		for (String name : List.of("plain.pt", "halves.pt", "strided.pt", "shared.pt", "microsam.pt", "sam2.pt")) {
			Map<String, Map<String, Object>> exp = expected(name);
			try (Checkpoint c = Checkpoint.open(file(name))) {
				assertEquals("pytorch-zip", c.format());
				Map<String, CheckpointTensor> tensors = c.root().tensors();
				assertEquals(new ArrayList<>(exp.keySet()), new ArrayList<>(tensors.keySet()), name);
				for (CheckpointTensor t : tensors.values())
					assertTensor(exp.get(t.name()), t);
			}
		}
	}

	/** torch.save stores storages uncompressed: they are mapped, not copied; a re-zipped file still reads. */
	@Test
	void storedStoragesAreMappedAndRezippedFilesStillRead() throws Exception {
		Map<String, Map<String, Object>> exp = expected("plain.pt");
		for (String name : List.of("plain.pt", "deflated.pt", "zip64.pt", "little.pt"))
			try (Checkpoint c = Checkpoint.open(file(name))) {
				for (CheckpointTensor t : c.root().tensors().values()) {
					assertTensor(exp.get(t.name()), t);
					assertEquals(!name.equals("deflated.pt"), t.data().storage().bytes().isDirect(), name);
				}
			}
	}

	@Test
	void bigEndianCheckpointsAreRefused() {
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(file("bigendian.pt")));
		assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
	}

	@Test
	void plainStateDictHasModuleNames() throws Exception {
		try (Checkpoint c = Checkpoint.open(file("plain.pt"))) {
			assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"), c.root().keys());
			CheckpointTensor conv = c.root().tensor("2.weight");
			assertEquals("2.weight", conv.name());
			assertEquals(TensorDtype.F32, conv.dtype());
			assertEquals(36, conv.numel());
		}
	}

	@Test
	void nonContiguousViewsAndOffsets() throws Exception {
		try (Checkpoint c = Checkpoint.open(file("strided.pt"))) {
			TensorData transposed = (TensorData) c.root().get("transposed");
			assertFalse(transposed.isContiguous());
			assertEquals(List.of(1L, 4L), List.of(transposed.strides()[0], transposed.strides()[1]));
			TensorData row = (TensorData) c.root().get("row");
			assertEquals(8, row.offset());
			// streaming into a FloatBuffer gives the same values as the array
			CheckpointTensor cols = c.root().tensor("columns");
			FloatBuffer fb = FloatBuffer.allocate(8);
			fb.put(-1f);
			cols.readFloats(fb);
			assertEquals(7, fb.position());
			float[] arr = cols.readFloats();
			for (int i = 0; i < arr.length; i++)
				assertEquals(arr[i], fb.get(1 + i));
			assertEquals(0, c.root().tensor("scalar").shape().length);
		}
	}

	@Test
	void viewsShareOneStorage() throws Exception {
		try (Checkpoint c = Checkpoint.open(file("shared.pt"))) {
			Map<String, CheckpointTensor> t = c.root().tensors();
			assertSame(t.get("grid").data().storage(), t.get("middle").data().storage());
			assertSame(t.get("grid").data().storage(), t.get("column").data().storage());
			assertEquals(12, t.get("grid").data().storage().numel());
		}
	}

	@Test
	void nestedCheckpointsGiveSubDicts() throws Exception {
		try (Checkpoint c = Checkpoint.open(file("microsam.pt"))) {
			assertEquals(List.of("model_state", "decoder_state"), c.root().keys());
			assertTrue(c.root().tensors().containsKey("decoder_state.weight"));
			StateDict model = c.root().subDict("model_state");
			assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"),
				new ArrayList<>(model.tensors().keySet()));
			assertEquals("0.weight", model.tensor("0.weight").name());
			assertEquals(List.of("weight", "bias"), c.root().subDict("decoder_state").keys());
			assertEquals(new ArrayList<>(model.tensors().keySet()),
				new ArrayList<>(c.root().tensorsUnder("model_state").keySet()));
		}
		try (Checkpoint c = Checkpoint.open(file("sam2.pt"))) {
			assertEquals(6, c.root().subDict("model").tensors().size());
			CheckpointException e = assertThrows(CheckpointException.class, () -> c.root().subDict("model_state"));
			assertTrue(e.getMessage().contains("[model]"), e.getMessage());
		}
	}

	@Test
	void legacyFormatIsRefusedWithAdviceToResave() {
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(file("legacy.pt")));
		assertTrue(e.getMessage().contains("legacy format") && e.getMessage().contains("Re-save"), e.getMessage());
		assertTrue(e instanceof ModelException);
	}

	/** A .pt whose pickle would run os.system in Python: refused by name, and nothing ran. */
	@Test
	void maliciousCheckpointIsRefusedAndRunsNothing() throws Exception {
		Path marker = Path.of((String) ((Map<?, ?>) expected().get("malicious")).get("marker"));
		Files.deleteIfExists(marker);
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(file("malicious.pt")));
		assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
		assertTrue(e.getMessage().contains("not a plain weights checkpoint"), e.getMessage());
		assertFalse(Files.exists(marker));
	}

	@Test
	void truncatedAndForeignFilesAreRefused(@TempDir Path dir) throws IOException {
		byte[] all = Files.readAllBytes(file("plain.pt"));
		Path cut = dir.resolve("cut.pt");
		Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
		assertThrows(CheckpointException.class, () -> Checkpoint.open(cut));
		Path text = dir.resolve("notes.txt");
		Files.writeString(text, "not a checkpoint at all");
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(text));
		assertTrue(e.getMessage().contains("neither"), e.getMessage());
	}
}
