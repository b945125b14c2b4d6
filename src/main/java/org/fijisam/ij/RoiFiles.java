package org.fijisam.ij;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.io.RoiEncoder;

import org.fijisam.core.AtomicFiles;

/** ROI sets on disk (.roi or .zip as the ROI Manager writes them), without a ROI Manager. */
public final class RoiFiles {

	private RoiFiles() {}

	/** The ROIs of a .roi or .zip file, in file order. */
	public static List<Roi> read(Path file) throws IOException {
		List<Roi> rois = new ArrayList<>();
		String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if (name.endsWith(".roi")) {
			Roi r = RoiDecoder.open(file.toString());
			if (r == null) throw new IOException("Cannot read the ROI file " + file);
			rois.add(r);
			return rois;
		}
		try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
			for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
				if (!e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".roi")) continue;
				Roi r = new RoiDecoder(zip.readAllBytes(), e.getName()).getRoi();
				if (r != null) rois.add(r);
			}
		}
		return rois;
	}

	/** 1980-01-01, the first time a zip entry can hold. */
	private static final long FIXED_ENTRY_TIME = 315532800000L;

	/** Writes ROIs as a ROI Manager zip (atomically). */
	public static void writeZip(List<Roi> rois, Path file) throws IOException {
		AtomicFiles.write(file, tmp -> {
			try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
				int i = 0;
				for (Roi r : rois) {
					String n = String.format("%04d-%s.roi", ++i, r.getName() == null ? "roi" : r.getName().replaceAll(
						"[^A-Za-z0-9._-]+", "_"));
					ZipEntry entry = new ZipEntry(n);
					// A fixed time: the same ROIs give the same bytes (reruns, cluster runs compare equal).
					entry.setTime(FIXED_ENTRY_TIME);
					zip.putNextEntry(entry);
					zip.write(RoiEncoder.saveAsByteArray(r));
					zip.closeEntry();
				}
			}
		});
	}
}
