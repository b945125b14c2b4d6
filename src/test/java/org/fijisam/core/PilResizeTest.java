package org.fijisam.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * {@link PilResize} against Pillow's own output (fixtures/pil-resize, made by
 * training/fixtures/make_pil_resize_fixtures.py): every grey level must match.
 */
class PilResizeTest {

	private static final String DIR = "/fixtures/pil-resize/";

	@Test
	void matchesPillowExactly() throws IOException {
		List<String[]> cases = cases();
		assertTrue(cases.size() >= 8, "the fixture lists its cases");
		for (String[] c : cases) {
			String name = c[0];
			int w = Integer.parseInt(c[1]), h = Integer.parseInt(c[2]);
			int nw = Integer.parseInt(c[3]), nh = Integer.parseInt(c[4]);
			byte[][] in = planes(read(name + "-in.png"), w, h);
			byte[][] expected = planes(read(name + "-out.png"), nw, nh);
			for (int ch = 0; ch < 3; ch++) {
				byte[] got = PilResize.resize(in[ch], w, h, nw, nh);
				assertEquals(nw * nh, got.length);
				for (int i = 0; i < got.length; i++) {
					if (got[i] != expected[ch][i]) fail(name + " channel " + ch + " at (" + i % nw + ", " + i / nw +
						"): " + (got[i] & 0xff) + " but Pillow gives " + (expected[ch][i] & 0xff));
				}
			}
		}
	}

	@Test
	void sameSizeIsACopy() {
		byte[] src = { 1, 2, (byte) 200, (byte) 255 };
		byte[] out = PilResize.resize(src, 2, 2, 2, 2);
		assertArrayEquals(src, out);
		assertTrue(out != src);
	}

	@Test
	void shrinkingAveragesInsteadOfSampling() {
		// A 1-pixel checkerboard shrunk 4x: sampling would keep stripes, Pillow's widened filter
		// averages them to mid-grey; rounding is half-up (127.5 -> 128).
		byte[] src = new byte[16 * 16];
		for (int i = 0; i < src.length; i++)
			src[i] = (byte) (((i % 16) + (i / 16)) % 2 == 0 ? 255 : 0);
		for (byte b : PilResize.resize(src, 16, 16, 4, 4))
			assertEquals(128, b & 0xff, 1);
	}

	private static List<String[]> cases() throws IOException {
		List<String[]> out = new ArrayList<>();
		try (InputStream in = PilResizeTest.class.getResourceAsStream(DIR + "cases.txt");
			BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
		{
			for (String line; (line = r.readLine()) != null;)
				if (!line.isBlank() && !line.startsWith("#")) out.add(line.trim().split("\\s+"));
		}
		return out;
	}

	private static BufferedImage read(String file) throws IOException {
		try (InputStream in = PilResizeTest.class.getResourceAsStream(DIR + file)) {
			return ImageIO.read(in);
		}
	}

	private static byte[][] planes(BufferedImage img, int w, int h) {
		assertEquals(w, img.getWidth());
		assertEquals(h, img.getHeight());
		byte[][] p = new byte[3][w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int rgb = img.getRGB(x, y);
				p[0][y * w + x] = (byte) (rgb >> 16);
				p[1][y * w + x] = (byte) (rgb >> 8);
				p[2][y * w + x] = (byte) rgb;
			}
		return p;
	}
}
