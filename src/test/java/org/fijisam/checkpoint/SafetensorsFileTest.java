package org.fijisam.checkpoint;

import static org.fijisam.checkpoint.CheckpointFixtures.assertTensor;
import static org.fijisam.checkpoint.CheckpointFixtures.expected;
import static org.fijisam.checkpoint.CheckpointFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

	@Test
	void valuesAsWritten() throws Exception {
		Map<String, Map<String, Object>> exp = expected("model.safetensors");
		try (Checkpoint c = Checkpoint.open(file("model.safetensors"))) {
			assertEquals("safetensors", c.format());
			Map<String, CheckpointTensor> t = c.root().tensors();
			assertEquals(new ArrayList<>(exp.keySet()), new ArrayList<>(t.keySet()));
			for (CheckpointTensor x : t.values())
				assertTensor(exp.get(x.name()), x);
			assertEquals(List.of("enc.weight", "enc.half", "enc.bf"), c.root().keys());
			assertEquals(List.of("weight", "half", "bf"), new ArrayList<>(c.root().tensorsUnder("enc").keySet()));
			assertEquals("half", c.root().tensorsUnder("enc").get("half").name());
		}
	}

	@Test
	void offsetsOutsideTheFileAreRefused() {
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(file("outside.safetensors")));
		assertTrue(e.getMessage().contains("enc.bf") && e.getMessage().contains("outside"), e.getMessage());
	}

	@Test
	void overlappingTensorsAreRefused() {
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(file("overlap.safetensors")));
		assertTrue(e.getMessage().contains("overlap"), e.getMessage());
	}

	@Test
	void truncatedOrGarbledHeadersAreRefused(@TempDir Path dir) throws Exception {
		byte[] all = Files.readAllBytes(file("model.safetensors"));
		Path cut = dir.resolve("cut.safetensors");
		Files.write(cut, Arrays.copyOf(all, all.length - 10));
		CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(cut));
		assertTrue(e.getMessage().contains("outside"), e.getMessage());
		byte[] garbled = all.clone();
		garbled[9] = '#';
		Path bad = dir.resolve("bad.safetensors");
		Files.write(bad, garbled);
		e = assertThrows(CheckpointException.class, () -> Checkpoint.open(bad));
		assertTrue(e.getMessage().contains("JSON"), e.getMessage());
		// a header nesting a million arrays is refused, not a stack overflow
		String deep = "[".repeat(1_000_000);
		Path nested = dir.resolve("deep.safetensors");
		java.nio.ByteBuffer len = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		len.putLong(deep.length());
		Files.write(nested, (new String(len.array(), java.nio.charset.StandardCharsets.ISO_8859_1) + deep)
			.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
		e = assertThrows(CheckpointException.class, () -> Checkpoint.open(nested));
		assertTrue(e.getMessage().contains("nesting"), e.getMessage());
	}
}
