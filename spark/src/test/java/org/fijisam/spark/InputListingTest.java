package org.fijisam.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.fijisam.core.SamException;

class InputListingTest {

	@TempDir
	Path dir;

	@Test
	void aFolderGivesItsImagesSorted() throws Exception {
		Files.writeString(dir.resolve("b.tif"), "");
		Files.writeString(dir.resolve("a.png"), "");
		Files.writeString(dir.resolve("notes.txt"), "");
		Files.writeString(dir.resolve(".hidden.tif"), "");
		assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.tif")), InputListing.list(dir.toString()));
	}

	@Test
	void aGlobMatchesOnlyAsDeepAsItReaches() throws Exception {
		Files.createDirectories(dir.resolve("sub/deeper"));
		for (String f : List.of("a.tif", "b.png", "sub/c.tif", "sub/deeper/d.tif", "sub/.e.tif"))
			Files.writeString(dir.resolve(f), "");
		assertEquals(List.of(dir.resolve("a.tif")), InputListing.list(dir + "/*.tif"));
		assertEquals(List.of(dir.resolve("sub/c.tif")), InputListing.list(dir + "/*/*.tif"));
		assertEquals(List.of(dir.resolve("sub/c.tif"), dir.resolve("sub/deeper/d.tif")), InputListing.list(dir +
			"/**/*.tif"));
		assertEquals(dir, InputListing.globBase(dir + "/*.tif"));
		assertEquals(dir.resolve("sub"), InputListing.globBase(dir + "/sub/c*.tif"));
	}

	@Test
	void nothingToDoIsAnErrorThatSaysWhatToDo() throws Exception {
		// a folder is listed as sam-cli auto lists it (the same extensions, the same words)
		SamException e = assertThrows(SamException.class, () -> InputListing.list(dir.toString()));
		assertTrue(e.getMessage().contains("No images (bmp, gif, jpeg, jpg, pgm, png, tif, tiff) in"), e.getMessage());
		e = assertThrows(SamException.class, () -> InputListing.list(dir + "/missing/*.tif"));
		assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
		e = assertThrows(SamException.class, () -> InputListing.list(dir.resolve("none") .toString()));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}
}
