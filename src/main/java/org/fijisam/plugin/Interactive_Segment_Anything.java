package org.fijisam.plugin;

import ij.plugin.PlugIn;

import org.fijisam.ui.SamTool;

/** Plugins > Segment Anything > Interactive Segment Anything: installs the toolbar tool. */
public class Interactive_Segment_Anything implements PlugIn {

	@Override
	public void run(String arg) {
		SamTool.install();
	}
}
