package org.fijisam.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import org.fijisam.core.FileProblems;
import org.fijisam.core.UnsupportedImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming opens of stacks: planes come from disk, with the same values and dimensions as a full
 * open. And reading never goes wrong silently: a file that is missing, a folder, truncated or of
 * a variant ImageJ does not read is refused with the reason, never read as a (partly) blank image.
 */
class ImageFilesTest {

	@Test
	void tiffHyperstackStreamsWithTheSameDimensionsAndPixels(@TempDir Path dir) throws Exception {
		ImagePlus h = IJ.createHyperStack("h", 40, 30, 2, 3, 4, 16);
		for (int i = 1; i <= h.getStackSize(); i++) {
			ShortProcessor sp = (ShortProcessor) h.getStack().getProcessor(i);
			for (int p = 0; p < 40 * 30; p++)
				sp.set(p, i * 100 + p % 97);
		}
		Path file = dir.resolve("hyper.tif");
		new FileSaver(h).saveAsTiff(file.toString());
		ImagePlus streamed = ImageFiles.openStreaming(file), full = ImageFiles.open(file);
		assertTrue(streamed.getStack().isVirtual(), "planes are read on demand");
		assertFalse(full.getStack().isVirtual());
		assertArrayEquals(full.getDimensions(), streamed.getDimensions());
		for (int i = 1; i <= full.getStackSize(); i++)
			assertArrayEquals((short[]) full.getStack().getPixels(i), (short[]) streamed.getStack().getProcessor(i)
				.getPixels(), "plane " + i);
	}

	@Test
	void singleImagesAndOtherFormatsOpenInFull(@TempDir Path dir) throws Exception {
		Path png = dir.resolve("a.png");
		new FileSaver(new ImagePlus("a", new ShortProcessor(20, 10).convertToByte(false))).saveAsPng(png.toString());
		ImagePlus imp = ImageFiles.openStreaming(png);
		assertEquals(20, imp.getWidth());
		assertFalse(imp.getStack().isVirtual());
	}

	@Test
	void damagedTiffIsExplainedNotOpened(@TempDir Path dir) throws Exception {
		Path bad = Files.write(dir.resolve("broken.tif"), new byte[] { 'I', 'I', 42, 0, 1, 2, 3 });
		UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(
			bad));
		assertTrue(e.getMessage().contains("damaged"), e.getMessage());
	}

	@Test
	void missingFileAndFolderAreNamedAsSuch(@TempDir Path dir) throws Exception {
		String missing = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(dir.resolve(
			"nope.tif"))).getMessage();
		assertTrue(missing.contains("does not exist"), missing);
		// A folder used to be reported as "does not exist".
		String folder = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(dir))
			.getMessage();
		assertTrue(folder.contains("is a folder, not an image file"), folder);
	}

	@Test
	void truncatedTiffIsRefusedNotReadAsBlank(@TempDir Path dir) throws Exception {
		FloatProcessor fp = new FloatProcessor(64, 64);
		for (int i = 0; i < 64 * 64; i++)
			fp.setf(i, i + 1);
		Path whole = dir.resolve("whole.tif");
		new FileSaver(new ImagePlus("f", fp)).saveAsTiff(whole.toString());
		byte[] all = Files.readAllBytes(whole);
		Path cut = Files.write(dir.resolve("cut.tif"), Arrays.copyOf(all, all.length / 2));
		// The defect: ImageJ itself reads it, the missing half as zeros.
		ImagePlus silent = quietly(cut);
		assertEquals(0f, silent.getProcessor().getf(64 * 64 - 1), "ImageJ fills the missing part with zeros");
		for (Path p : new Path[] { cut }) {
			String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(p)).getMessage();
			assertTrue(m.contains("truncated"), m);
			assertTrue(m.contains(String.format(Locale.ROOT, "%,d bytes but the file has only %,d", all.length,
				all.length / 2)), m);
			assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(p));
		}
		assertEquals(64f * 64, ImageFiles.open(whole).getProcessor().getf(64 * 64 - 1), "the whole file still opens");
	}

	@Test
	void truncatedTiffStackIsRefused(@TempDir Path dir) throws Exception {
		ImageStack st = new ImageStack(64, 64);
		for (int z = 0; z < 5; z++) {
			ShortProcessor sp = new ShortProcessor(64, 64);
			for (int i = 0; i < 64 * 64; i++)
				sp.set(i, z * 100 + i % 50 + 1);
			st.addSlice(sp);
		}
		Path whole = dir.resolve("stack.tif");
		new FileSaver(new ImagePlus("st", st)).saveAsTiffStack(whole.toString());
		byte[] all = Files.readAllBytes(whole);
		// ImageJ writes the directories of planes 2..5 after the pixels: a cut breaks their chain.
		Path cut = Files.write(dir.resolve("cut.tif"), Arrays.copyOf(all, all.length - 5000));
		String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(cut)).getMessage();
		assertTrue(m.contains("truncated"), m);
		// Stacks above 4 GB have one directory and "images=N" in ImageJ's description; ImageJ then
		// reads N planes from the first strip on. Made here by ending the chain after the first one.
		ByteBuffer b = ByteBuffer.wrap(all).order(all[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
		int ifd = b.getInt(4), n = b.getShort(ifd) & 0xffff;
		b.putInt(ifd + 2 + n * 12, 0);
		Path single = Files.write(dir.resolve("one-directory.tif"), all);
		assertEquals(5, ImageFiles.open(single).getStackSize(), "ImageJ reads all planes through images=5");
		Path oneCut = Files.write(dir.resolve("one-directory-cut.tif"), Arrays.copyOf(all, all.length - 64 * 64 *
			2 * 2));
		// The defect: ImageJ silently gives fewer planes.
		assertTrue(quietly(oneCut).getStackSize() < 5, "ImageJ drops planes silently");
		m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(oneCut)).getMessage();
		assertTrue(m.contains("truncated"), m);
	}

	@Test
	void tiledTiffIsNamedAnUnsupportedVariant(@TempDir Path dir) throws Exception {
		byte[] px = new byte[16 * 16];
		Path tiled = Files.write(dir.resolve("tiled.tif"), TiffBytes.tiled(16, 16, 16, px.length).bytes(px));
		String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(tiled)).getMessage();
		assertTrue(m.contains("unsupported TIFF variant: tiled TIFF"), m);
		assertTrue(m.contains("Bio-Formats"), m);
		assertFalse(m.contains("damaged"), m);
	}

	/**
	 * ij.jar 1.54 reads no 64-bit TIFF (its decoder stops at "Unsupported BitsPerSample: 64"): the
	 * message must name the variant. Should a newer ij.jar read them, the first assertion fails
	 * and these files must then open.
	 */
	@Test
	void sixtyFourBitAndBigTiffsAreNamed(@TempDir Path dir) throws Exception {
		ByteBuffer doubles = ByteBuffer.allocate(16 * 16 * 8).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 256; i++)
			doubles.putDouble(i * 0.5);
		Path f64 = Files.write(dir.resolve("f64.tif"), TiffBytes.strips(16, 16, 64, 3, 2048).bytes(doubles.array()));
		Path u64 = Files.write(dir.resolve("u64.tif"), TiffBytes.strips(16, 16, 64, 1, 2048).bytes(new byte[2048]));
		byte[] px = new byte[256];
		Path big = Files.write(dir.resolve("big.tif"), TiffBytes.strips(16, 16, 8, 1, 256).bigTiff().bytes(px));
		for (Path p : new Path[] { f64, u64, big })
			assertEquals(null, quietly(p), "ij.jar does not read " + p.getFileName());
		String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(f64)).getMessage();
		assertTrue(m.contains("unsupported TIFF variant: 64-bit floating-point samples"), m);
		m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(u64)).getMessage();
		assertTrue(m.contains("unsupported TIFF variant: 64-bit integer samples"), m);
		m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.openStreaming(big)).getMessage();
		assertTrue(m.contains("unsupported TIFF variant: BigTIFF"), m);
	}

	/** The header parse must not refuse what ImageJ reads: hand-made strip TIFFs, either byte order. */
	@Test
	void handMadeStripTiffsStillOpen(@TempDir Path dir) throws Exception {
		byte[] px = new byte[16 * 16];
		for (int i = 0; i < px.length; i++)
			px[i] = (byte) i;
		for (TiffBytes t : new TiffBytes[] { TiffBytes.strips(16, 16, 8, 1, 256), TiffBytes.strips(16, 16, 8, 1, 256)
			.bigEndian() }) {
			Path p = Files.write(dir.resolve("plain.tif"), t.bytes(px));
			ImagePlus imp = ImageFiles.open(p);
			assertEquals(16, imp.getWidth());
			assertEquals(1, imp.getProcessor().get(1, 0));
			assertEquals(255, imp.getProcessor().get(15, 15), "last pixel");
		}
		// 16-bit float: ImageJ's own reason is passed on.
		Path f16 = Files.write(dir.resolve("f16.tif"), TiffBytes.strips(16, 16, 16, 3, 512).bytes(new byte[512]));
		String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(f16)).getMessage();
		assertTrue(m.contains("16-bit float"), m);
	}

	@Test
	void truncatedPngAndJpegAreRefused(@TempDir Path dir) throws Exception {
		ByteProcessor noise = new ByteProcessor(128, 128);
		Random random = new Random(1);
		for (int i = 0; i < 128 * 128; i++)
			noise.set(i, random.nextInt(256));
		Path png = dir.resolve("noise.png"), jpg = dir.resolve("noise.jpg");
		new FileSaver(new ImagePlus("n", noise)).saveAsPng(png.toString());
		new FileSaver(new ImagePlus("n", noise)).saveAsJpeg(jpg.toString());
		for (Path p : new Path[] { png, jpg }) {
			assertEquals(128, ImageFiles.open(p).getWidth(), "the whole file opens");
			byte[] all = Files.readAllBytes(p);
			Path cut = Files.write(dir.resolve("cut-" + p.getFileName()), Arrays.copyOf(all, all.length * 2 / 3));
			String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(cut)).getMessage();
			assertTrue(m.contains("is truncated"), m);
		}
		Path text = Files.writeString(dir.resolve("notes.png"), "not an image at all\n");
		String m = assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(text)).getMessage();
		assertTrue(m.contains("contains text"), m);
	}

	/**
	 * Tests run as root, who reads any file whatever its permissions; then no real permission
	 * failure can be made, and the test checks the words the same path produces from the file
	 * system's own exception (FileProblems), which ImageFileCheck passes on as is.
	 */
	@Test
	void unreadableFileSaysPermissionDenied(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("locked.tif");
		new FileSaver(new ImagePlus("a", new ByteProcessor(8, 8))).saveAsTiff(file.toString());
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		boolean denied;
		try (var in = Files.newInputStream(file)) {
			denied = false;
		}
		catch (AccessDeniedException e) {
			denied = true;
		}
		String m = denied ? assertThrows(UnsupportedImageException.class, () -> ImageFiles.open(file)).getMessage()
			: FileProblems.describe("read the image", file, new AccessDeniedException(file.toString()));
		assertTrue(m.contains("permission denied"), m);
		assertFalse(m.contains("Exception"), m);
	}

	/** ImageJ's own opener, its complaint sent to the log: with a display it would be a modal dialog nobody closes. */
	static ImagePlus quietly(java.nio.file.Path file) {
		ij.IJ.redirectErrorMessages();
		return new Opener().openImage(file.toString());
	}
}
