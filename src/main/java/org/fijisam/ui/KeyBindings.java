package org.fijisam.ui;

import java.awt.Component;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.util.function.Supplier;

import org.fijisam.ij.ImagePlusPlanes;

/**
 * The tool's keys on an image canvas, while the tool is selected: C cycles the masks, Enter or
 * A accepts, Backspace or U undoes, P carries the shown object through the slices and Shift+P
 * through the frames, Escape cancels a propagation or clears. Our listener goes first and consumes the
 * keys it handles, so ImageJ's shortcuts for those letters do not fire too.
 */
final class KeyBindings extends KeyAdapter {

	private final Supplier<InteractiveSession> session;

	private KeyBindings(Supplier<InteractiveSession> session) {
		this.session = session;
	}

	static void install(Component canvas, Supplier<InteractiveSession> session) {
		for (KeyListener l : canvas.getKeyListeners())
			if (l instanceof KeyBindings) return;
		KeyListener[] others = canvas.getKeyListeners();
		for (KeyListener l : others)
			canvas.removeKeyListener(l);
		canvas.addKeyListener(new KeyBindings(session));
		for (KeyListener l : others)
			canvas.addKeyListener(l);
	}

	@Override
	public void keyPressed(KeyEvent e) {
		InteractiveSession s = session.get();
		if (s == null || e.isControlDown() || e.isMetaDown()) return;
		switch (e.getKeyCode()) {
			case KeyEvent.VK_C:
				s.cycle();
				break;
			case KeyEvent.VK_ENTER:
			case KeyEvent.VK_A:
				s.accept();
				break;
			case KeyEvent.VK_BACK_SPACE:
			case KeyEvent.VK_U:
				s.undo();
				break;
			case KeyEvent.VK_P:
				s.propagate(e.isShiftDown() ? ImagePlusPlanes.Axis.T : ImagePlusPlanes.Axis.Z);
				break;
			case KeyEvent.VK_ESCAPE:
				s.escape();
				break;
			default:
				return;
		}
		e.consume();
	}
}
