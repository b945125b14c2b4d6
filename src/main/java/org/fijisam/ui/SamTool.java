package org.fijisam.ui;

import java.awt.event.MouseEvent;
import java.util.Map;
import java.util.WeakHashMap;

import ij.IJ;
import ij.ImageListener;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Toolbar;
import ij.plugin.tool.PlugInTool;

import org.fijisam.core.ModelException;
import org.fijisam.ij.ModelRegistry;
import org.fijisam.ij.ModelSettings;

/**
 * The toolbar tool: click = foreground point, alt-click = background point, drag = box; keys
 * in {@link KeyBindings}. Mouse handling only: state lives in {@link InteractiveSession}, one
 * per image; embeddings come from {@link EmbeddingWorker} in the background.
 */
public final class SamTool extends PlugInTool implements ImageListener {

	private static final int DRAG_THRESHOLD = 3;

	private final EmbeddingWorker embeddings;
	private final Map<ImagePlus, InteractiveSession> sessions = new WeakHashMap<>();
	private double pressX, pressY;
	private boolean altPress;

	private SamTool(EmbeddingWorker embeddings) {
		this.embeddings = embeddings;
	}

	/** Installs the tool with the saved model settings; reports errors with IJ.error. */
	public static SamTool install() {
		try {
			return install(ModelSettings.fromPrefs());
		}
		catch (ModelException e) {
			IJ.error("Interactive Segment Anything", e.getMessage());
			return null;
		}
	}

	/** Loads (or reuses) the model and puts the tool in the toolbar, selected. */
	public static SamTool install(ModelSettings settings) throws ModelException {
		SamTool tool = new SamTool(new EmbeddingWorker(ModelRegistry.shared().predictor(settings)));
		Toolbar.addPlugInTool(tool);
		ImagePlus.addImageListener(tool);
		ImagePlus imp = ij.WindowManager.getCurrentImage();
		if (imp != null) tool.session(imp).prefetch();
		IJ.showStatus("Segment Anything: click = object, alt-click = background, drag = box, " +
			"C = next mask, Enter = accept, U = undo, P / Shift+P = carry through z / t");
		return tool;
	}

	@Override
	public String getToolName() {
		return "Segment Anything (click: object, alt-click: background, drag: box; C cycle, Enter accept, U undo, " +
			"P through z, Shift+P through t)";
	}

	@Override
	public String getToolIcon() {
		return "C037O11ffC0a0F5566C00fL0f4b";
	}

	EmbeddingWorker embeddings() {
		return embeddings;
	}

	/** The session of an image, created on first use. */
	synchronized InteractiveSession session(ImagePlus imp) {
		InteractiveSession s = sessions.get(imp);
		if (s == null) {
			s = new InteractiveSession(imp, embeddings);
			sessions.put(imp, s);
		}
		ImageCanvas canvas = imp.getCanvas();
		if (canvas != null) KeyBindings.install(canvas, () -> Toolbar.getPlugInTool() == this ? sessions.get(imp)
			: null);
		return s;
	}

	@Override
	public void mousePressed(ImagePlus imp, MouseEvent e) {
		ImageCanvas c = imp.getCanvas();
		pressX = c.offScreenXD(e.getX());
		pressY = c.offScreenYD(e.getY());
		InteractiveSession s = session(imp);
		// Alt-click is handled on press: ImageJ may not forward the release of an alt-click
		// (ALT_MASK doubles as the legacy middle-button mask), and a background point needs no drag.
		altPress = e.isAltDown();
		if (altPress && inside(imp, pressX, pressY)) s.addPoint(Math.floor(pressX) + 0.5, Math.floor(pressY) + 0.5,
			false);
	}

	private static boolean inside(ImagePlus imp, double x, double y) {
		return x >= 0 && y >= 0 && x < imp.getWidth() && y < imp.getHeight();
	}

	@Override
	public void mouseDragged(ImagePlus imp, MouseEvent e) {
		ImageCanvas c = imp.getCanvas();
		double x = c.offScreenXD(e.getX()), y = c.offScreenYD(e.getY());
		if (Math.abs(x - pressX) * c.getMagnification() > DRAG_THRESHOLD || Math.abs(y - pressY) * c
			.getMagnification() > DRAG_THRESHOLD) IJ.showStatus(String.format(java.util.Locale.ROOT,
				"box %.0f x %.0f", Math.abs(x - pressX), Math.abs(y - pressY)));
	}

	@Override
	public void mouseReleased(ImagePlus imp, MouseEvent e) {
		if (altPress) return;
		ImageCanvas c = imp.getCanvas();
		double x = c.offScreenXD(e.getX()), y = c.offScreenYD(e.getY());
		InteractiveSession s = session(imp);
		boolean drag = Math.abs(x - pressX) * c.getMagnification() > DRAG_THRESHOLD || Math.abs(y - pressY) * c
			.getMagnification() > DRAG_THRESHOLD;
		if (drag) s.setBox(clamp(pressX, imp.getWidth()), clamp(pressY, imp.getHeight()), clamp(x, imp
			.getWidth()), clamp(y, imp.getHeight()));
		else if (inside(imp, x, y)) s.addPoint(Math.floor(x) + 0.5, Math.floor(y) + 0.5, true);
	}

	@Override
	public void mouseMoved(ImagePlus imp, MouseEvent e) {
		session(imp).prefetch();
	}

	private static double clamp(double v, int max) {
		return Math.max(0, Math.min(max, v));
	}

	@Override
	public void imageOpened(ImagePlus imp) {}

	@Override
	public synchronized void imageClosed(ImagePlus imp) {
		InteractiveSession s = sessions.remove(imp);
		if (s != null) s.close();
	}

	@Override
	public void imageUpdated(ImagePlus imp) {
		// Slice or frame changed: start encoding the new plane now, in the background.
		InteractiveSession s;
		synchronized (this) {
			s = sessions.get(imp);
		}
		if (s != null && Toolbar.getPlugInTool() == this) s.prefetch();
	}
}
