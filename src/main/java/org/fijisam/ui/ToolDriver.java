package org.fijisam.ui;

import java.awt.EventQueue;
import java.awt.Graphics;
import java.awt.Toolkit;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;

import org.fijisam.core.ModelException;
import org.fijisam.ij.ModelSettings;

/**
 * Drives the interactive tool like a user, through the AWT event queue: real MouseEvents and
 * KeyEvents posted to the image canvas. Used by the GUI test, the click-latency benchmark and
 * the screenshot script; needs a display (Xvfb).
 */
public final class ToolDriver {

	private final ImagePlus imp;
	private final SamTool tool;
	private final InteractiveSession session;
	private final BlockingQueue<long[]> shown = new LinkedBlockingQueue<>();

	private ToolDriver(ImagePlus imp, SamTool tool) {
		this.imp = imp;
		this.tool = tool;
		this.session = tool.session(imp);
		session.addListener(requested -> shown.add(new long[] { requested, System.nanoTime() }));
	}

	/** Shows the image in a window (starting ImageJ if needed) and selects the tool on it. */
	public static ToolDriver open(ImagePlus imp, ModelSettings settings) throws ModelException {
		if (IJ.getInstance() == null) new ImageJ(ImageJ.NO_SHOW);
		imp.show();
		long end = System.currentTimeMillis() + 10000;
		while ((imp.getWindow() == null || !imp.getWindow().isShowing()) && System.currentTimeMillis() < end)
			IJ.wait(20);
		if (imp.getWindow() == null) throw new IllegalStateException("The image window did not open.");
		return new ToolDriver(imp, SamTool.install(settings));
	}

	public ImagePlus image() {
		return imp;
	}

	public ImagePlus labels() {
		return session.labels();
	}

	public int acceptedCount() {
		return session.acceptedCount();
	}

	/** Waits until the displayed plane's embedding exists. */
	public void awaitEmbedding(long timeoutMs) throws Exception {
		tool.embeddings().embedding(imp, imp.getZ(), imp.getT()).get(timeoutMs, TimeUnit.MILLISECONDS);
	}

	/** Posts press + release at image pixel (x, y) (alt = background point). */
	public void click(double x, double y, boolean alt) {
		ImageCanvas c = imp.getCanvas();
		int sx = c.screenXD(x), sy = c.screenYD(y);
		int mods = alt ? InputEvent.ALT_DOWN_MASK : 0;
		long now = System.currentTimeMillis();
		post(new MouseEvent(c, MouseEvent.MOUSE_PRESSED, now, mods | InputEvent.BUTTON1_DOWN_MASK, sx, sy, 1, false,
			MouseEvent.BUTTON1));
		post(new MouseEvent(c, MouseEvent.MOUSE_RELEASED, now, mods, sx, sy, 1, false, MouseEvent.BUTTON1));
	}

	/** Posts a drag from (x0, y0) to (x1, y1): a box prompt. */
	public void drag(double x0, double y0, double x1, double y1) {
		ImageCanvas c = imp.getCanvas();
		long now = System.currentTimeMillis();
		post(new MouseEvent(c, MouseEvent.MOUSE_PRESSED, now, InputEvent.BUTTON1_DOWN_MASK, c.screenXD(x0), c
			.screenYD(y0), 1, false, MouseEvent.BUTTON1));
		post(new MouseEvent(c, MouseEvent.MOUSE_DRAGGED, now, InputEvent.BUTTON1_DOWN_MASK, c.screenXD(x1), c
			.screenYD(y1), 0, false, MouseEvent.BUTTON1));
		post(new MouseEvent(c, MouseEvent.MOUSE_RELEASED, now, 0, c.screenXD(x1), c.screenYD(y1), 1, false,
			MouseEvent.BUTTON1));
	}

	/**
	 * Presses a key on the canvas. Delivered on the event thread to the canvas' key listeners
	 * in order (as AWT does for the focus owner; a window under Xvfb may never get focus).
	 */
	public void key(int keyCode) {
		key(keyCode, 0);
	}

	/** Presses a key with modifiers ({@code InputEvent.SHIFT_DOWN_MASK}, ...). */
	public void key(int keyCode, int modifiers) {
		ImageCanvas c = imp.getCanvas();
		KeyEvent e = new KeyEvent(c, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), modifiers, keyCode,
			KeyEvent.CHAR_UNDEFINED);
		try {
			EventQueue.invokeAndWait(() -> {
				for (java.awt.event.KeyListener l : c.getKeyListeners()) {
					if (e.isConsumed()) break;
					l.keyPressed(e);
				}
			});
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits for the next mask to be shown and painted; returns {nanoseconds from the click to
	 * the mask on the overlay, nanoseconds from the click to the canvas painted with it}.
	 */
	public long[] awaitMask(long postedAt, long timeoutMs) throws Exception {
		long[] s = shown.poll(timeoutMs, TimeUnit.MILLISECONDS);
		if (s == null) throw new IllegalStateException("No mask was shown within " + timeoutMs + " ms.");
		ImageCanvas c = imp.getCanvas();
		EventQueue.invokeAndWait(() -> {
			Graphics g = c.getGraphics();
			if (g != null) {
				c.paint(g);
				g.dispose();
			}
		});
		return new long[] { s[1] - postedAt, System.nanoTime() - postedAt };
	}

	/** Waits until the propagation started with P has handed its object over. */
	public void awaitPropagation(long timeoutMs) throws Exception {
		session.propagation().get(timeoutMs, TimeUnit.MILLISECONDS);
		flush();
	}

	/** Waits until every event posted so far was handled. */
	public void flush() {
		try {
			EventQueue.invokeAndWait(() -> {});
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static void post(java.awt.AWTEvent e) {
		Toolkit.getDefaultToolkit().getSystemEventQueue().postEvent(e);
	}

	public void close() {
		imp.changes = false;
		imp.close();
	}
}
