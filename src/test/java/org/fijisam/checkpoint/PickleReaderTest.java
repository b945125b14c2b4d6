package org.fijisam.checkpoint;

import static org.fijisam.checkpoint.CheckpointFixtures.expected;
import static org.fijisam.checkpoint.CheckpointFixtures.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PickleReaderTest {

	static Object read(byte[] data) throws CheckpointException {
		return new PickleReader(data, "test.pkl", new TorchGlobals(), pid -> {
			throw new CheckpointException("no storages here");
		}).read();
	}

	static byte[] bytes(Object... parts) {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		for (Object p : parts) {
			if (p instanceof String) b.writeBytes(((String) p).getBytes(StandardCharsets.ISO_8859_1));
			else b.write((Integer) p);
		}
		return b.toByteArray();
	}

	/** Protocol 4 from Python's pickle: FRAME, MEMOIZE, SHORT_BINUNICODE, LONG1, BININT, BINFLOAT and friends. */
	@Test
	void plainValuesOfProtocol4() throws Exception {
		Map<?, ?> m = (Map<?, ?>) read(Files.readAllBytes(file("plain_p4.pkl")));
		assertEquals(7L, m.get("int"));
		assertEquals(-300L, m.get("neg"));
		assertEquals(1000L, m.get("mid"));
		assertEquals(70000L, m.get("wide"));
		assertEquals(1L << 40, m.get("big"));
		assertEquals(BigInteger.TWO.pow(70).negate(), m.get("huge"));
		assertEquals(0.25, m.get("float"));
		assertEquals("µm", m.get("str"));
		assertNull(m.get("none"));
		assertTrue(m.containsKey("none"));
		assertEquals(Boolean.TRUE, m.get("yes"));
		assertEquals(Boolean.FALSE, m.get("no"));
		assertEquals(List.of(1L, "a", List.of(2.5)), m.get("list"));
		assertTrue(m.get("tuple") instanceof PickleTuple);
		assertEquals(List.of(1L, 2L, 3L, 4L), m.get("tuple"));
		List<?> shared = (List<?>) m.get("shared");
		assertSame(shared.get(0), shared.get(1));
	}

	@Test
	void maliciousPickleIsRefusedNamingTheGlobalAndRunsNothing() throws Exception {
		Path marker = Path.of((String) ((Map<?, ?>) expected().get("malicious")).get("marker"));
		Files.deleteIfExists(marker);
		CheckpointException e = assertThrows(CheckpointException.class,
			() -> read(Files.readAllBytes(file("malicious.pkl"))));
		assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
		assertTrue(e.getMessage().contains("not a plain weights checkpoint"), e.getMessage());
		assertFalse(Files.exists(marker));
	}

	@Test
	void unknownGlobalsAreRefusedByName() {
		for (String g : List.of("builtins\neval\n", "os\nsystem\n", "subprocess\nPopen\n", "torch\nload\n",
			"collections\ndefaultdict\n")) {
			CheckpointException e = assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "c" + g, ".")));
			assertTrue(e.getMessage().contains(g.replaceFirst("\n", ".").trim()), e.getMessage());
		}
		// STACK_GLOBAL takes the same allowlist
		CheckpointException e = assertThrows(CheckpointException.class,
			() -> read(bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "exec", 0x93, ".")));
		assertTrue(e.getMessage().contains("builtins.exec"), e.getMessage());
	}

	@Test
	void objectBuildingOpcodesAreRefusedByName() {
		Object[][] cases = { { "NEWOBJ", bytes(0x80, 2, ")", ")", 0x81, ".") },
			{ "INST", bytes("(", "iposix\nsystem\n", ".") }, { "OBJ", bytes("(", "N", "o", ".") },
			{ "EXT", bytes(0x80, 2, 0x82, 1, ".") }, { "PERSID", bytes("Pfoo\n", ".") } };
		for (Object[] c : cases) {
			CheckpointException e = assertThrows(CheckpointException.class, () -> read((byte[]) c[1]));
			assertTrue(e.getMessage().contains((String) c[0]), c[0] + ": " + e.getMessage());
			assertTrue(e.getMessage().contains("not a plain weights checkpoint"), e.getMessage());
		}
	}

	/** An allowed global that is not a function (a storage type) cannot be called either. */
	@Test
	void reduceOnlyCallsAllowedFunctions() {
		CheckpointException e = assertThrows(CheckpointException.class,
			() -> read(bytes(0x80, 2, "ctorch\nFloatStorage\n", ")", "R", ".")));
		assertTrue(e.getMessage().contains("torch.FloatStorage") && e.getMessage().contains("REDUCE"), e.getMessage());
		// BUILD is allowed only to drop an OrderedDict's attributes
		CheckpointException b = assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "]", "}", "b", ".")));
		assertTrue(b.getMessage().contains("BUILD"), b.getMessage());
	}

	/** A list used as a key (it could contain itself) and a dict containing itself are refused, not looped over. */
	@Test
	void selfReferencesAreRefused() throws Exception {
		CheckpointException e = assertThrows(CheckpointException.class,
			() -> read(bytes(0x80, 2, "}", "]", "q", 0, "h", 0, "a", "K", 1, "s", ".")));
		assertTrue(e.getMessage().contains("dict key"), e.getMessage());
		Map<?, ?> self = (Map<?, ?>) read(bytes(0x80, 2, "}", "q", 0, "X", 1, 0, 0, 0, "a", "h", 0, "s", "."));
		assertSame(self, self.get("a"));
		CheckpointException c = assertThrows(CheckpointException.class, () -> StateDict.checkTree(self, "x.pt"));
		assertTrue(c.getMessage().contains("contains itself"), c.getMessage());
	}

	/** Each level is a list holding the level below twice: 2^60 paths from 500 bytes. */
	@Test
	void exponentialSharingIsRefused() throws Exception {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		b.writeBytes(bytes(0x80, 2, "}", "X", 1, 0, 0, 0, "k", "]", "q", 0, "0"));
		for (int i = 1; i <= 60; i++)
			b.writeBytes(bytes("]", "h", i - 1, "a", "h", i - 1, "a", "q", i, "0"));
		b.writeBytes(bytes("h", 60, "s", "."));
		Map<?, ?> bomb = (Map<?, ?>) read(b.toByteArray());
		CheckpointException e = assertThrows(CheckpointException.class, () -> StateDict.checkTree(bomb, "bomb.pt"));
		assertTrue(e.getMessage().contains("expands"), e.getMessage());
	}

	@Test
	void floodsOfValuesAreRefused() {
		byte[] flood = new byte[(int) PickleReader.MAX_PUSHES + 10];
		java.util.Arrays.fill(flood, (byte) ']');
		CheckpointException e = assertThrows(CheckpointException.class, () -> read(flood));
		assertTrue(e.getMessage().contains("far more than a state dict"), e.getMessage());
	}

	@Test
	void corruptPicklesFailCleanly() {
		assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "X", 100, 0, 0, 0, "ab")));
		assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "h", 5, ".")));
		assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "s", ".")));
		assertThrows(CheckpointException.class, () -> read(bytes(0x80, 2, "}")));
	}
}
