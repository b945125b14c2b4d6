package org.fijisam.plugin;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Frame;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.SwingUtilities;

import ij.IJ;

import org.fijisam.core.Cancellation;
import org.fijisam.models.Transfer;

/**
 * The window of an interactive model download: what is downloaded, a progress bar, bytes, speed
 * and time left, and a Cancel button (Esc in ImageJ cancels too). Cancelling stops the download
 * at the next block; the installer keeps the bytes received for the next install to resume.
 * Macro runs get no window and cannot be cancelled this way.
 */
final class DownloadProgress implements Cancellation, Transfer.Listener, AutoCloseable {

	private final JDialog dialog;
	private final JLabel text = new JLabel(" ");
	private final JProgressBar bar = new JProgressBar(0, 1000);
	private final JButton cancel = new JButton("Cancel");
	private volatile boolean cancelled;

	/** Shows the window (call from any thread but the event thread, which it waits for). */
	DownloadProgress(String title, String what) {
		JDialog[] made = new JDialog[1];
		onEventThread(() -> {
			Frame owner = IJ.getInstance();
			JDialog d = new JDialog(owner, title, false);
			d.setDefaultCloseOperation(JDialog.DO_NOTHING_ON_CLOSE);
			// Closing the window means stopping the download, as Cancel does.
			d.addWindowListener(new WindowAdapter() {
				@Override
				public void windowClosing(WindowEvent e) {
					requestCancel();
				}
			});
			JPanel p = new JPanel(new BorderLayout(8, 8));
			p.setBorder(BorderFactory.createEmptyBorder(12, 12, 12, 12));
			p.add(new JLabel(what), BorderLayout.NORTH);
			bar.setIndeterminate(true);
			bar.setStringPainted(true);
			bar.setString("connecting");
			p.add(bar, BorderLayout.CENTER);
			JPanel south = new JPanel(new BorderLayout());
			south.add(text, BorderLayout.CENTER);
			JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
			cancel.setToolTipText("Stop the download; the bytes received are kept and the next install resumes");
			cancel.addActionListener(e -> requestCancel());
			buttons.add(cancel);
			south.add(buttons, BorderLayout.EAST);
			p.add(south, BorderLayout.SOUTH);
			d.setContentPane(p);
			d.pack();
			d.setSize(Math.max(d.getWidth(), 520), d.getHeight());
			d.setLocationRelativeTo(owner);
			d.setVisible(true);
			made[0] = d;
		});
		dialog = made[0];
	}

	private void requestCancel() {
		cancelled = true;
		cancel.setEnabled(false);
		text.setText("cancelling: the bytes received are kept for the next install");
	}

	/** The Cancel button, for tests that press it. */
	JButton cancelButton() {
		return cancel;
	}

	JDialog window() {
		return dialog;
	}

	@Override
	public boolean isCancelled() {
		return cancelled || IJ.escapePressed();
	}

	@Override
	public void transferred(Transfer t) {
		double f = t.fraction();
		if (f >= 0) IJ.showProgress(f);
		IJ.showStatus(t.text() + " (Esc cancels)");
		String line = t.text();
		SwingUtilities.invokeLater(() -> {
			if (f >= 0) {
				bar.setIndeterminate(false);
				bar.setValue((int) Math.round(f * 1000));
				bar.setString(Math.round(f * 100) + " %");
			}
			if (!cancelled) text.setText(line);
		});
	}

	@Override
	public void close() {
		SwingUtilities.invokeLater(dialog::dispose);
	}

	private static void onEventThread(Runnable r) {
		if (SwingUtilities.isEventDispatchThread()) r.run();
		else try {
			SwingUtilities.invokeAndWait(r);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while the download window opened", e);
		}
		catch (java.lang.reflect.InvocationTargetException e) {
			throw new IllegalStateException(e.getCause());
		}
	}
}
