package org.fijisam;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.awt.GraphicsEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.frame.RoiManager;

/**
 * A real ImageJ for tests: needs a display (Xvfb), starts ImageJ without showing its window,
 * and registers the commands of our plugins.config, as Fiji would from the jar.
 */
public final class ImageJSupport {

	private ImageJSupport() {}

	@SuppressWarnings("unchecked")
	public static synchronized void start() throws IOException {
		assertFalse(GraphicsEnvironment.isHeadless(), "These tests open real ImageJ windows and need a display: " +
			"run them with 'xvfb-run -a mvn -B test' (or with DISPLAY set).");
		if (IJ.getInstance() == null) new ImageJ(ImageJ.NO_SHOW);
		Hashtable<String, String> commands = Menus.getCommands();
		try (InputStream in = ImageJSupport.class.getResourceAsStream("/plugins.config"); BufferedReader r =
			new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
		{
			for (String line; (line = r.readLine()) != null;) {
				if (line.startsWith("#") || line.trim().isEmpty()) continue;
				String[] parts = line.split(",", 3);
				String label = parts[1].trim().replace("\"", "");
				commands.put(label, parts[2].trim());
			}
		}
	}

	/** Closes every image, empties the test's ROI Manager, clears the log. */
	public static void clean() {
		Interpreter.batchMode = false;
		for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
			ImagePlus imp = WindowManager.getImage(id);
			if (imp != null) {
				imp.changes = false;
				imp.close();
			}
		}
		RoiManager rm = RoiManager.getInstance();
		if (rm != null) rm.reset();
		IJ.log("\\Clear");
	}

	/** Runs macro code in batch mode; returns what it returns, null when it was aborted. */
	public static String runBatchMacro(String code) {
		return IJ.runMacro("setBatchMode(true);\n" + code + "\nreturn \"completed\";");
	}

	/** Runs macro code with real windows (output images stay open); null when aborted. */
	public static String runMacro(String code) {
		return IJ.runMacro(code + "\nreturn \"completed\";");
	}

	/** Macro string for the fixture model folder. */
	public static String fixtureModel() {
		return "model=[" + Fixtures.folder("known") + "] threads=1";
	}
}
