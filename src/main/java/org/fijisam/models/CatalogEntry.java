package org.fijisam.models;

import java.util.Collections;
import java.util.List;

/** A model that can be installed by name: its family, size, licence and files. */
public final class CatalogEntry {

	public final String name;
	public final String title;
	/** The architecture of the checkpoint: "sam1" (ViT), "mobile_sam" (TinyViT) or "sam2" (Hiera). */
	public final String family;
	/** The variant within the family, e.g. "vit_b" or "hiera_tiny". */
	public final String size;
	public final String licence;
	private final List<CatalogFile> files;

	public CatalogEntry(String name, String title, String family, String size, String licence,
		List<CatalogFile> files)
	{
		this.name = name;
		this.title = title;
		this.family = family;
		this.size = size;
		this.licence = licence;
		this.files = Collections.unmodifiableList(files);
	}

	public List<CatalogFile> files() {
		return files;
	}

	/** The weights file (every entry has one). */
	public CatalogFile checkpoint() {
		for (CatalogFile f : files)
			if (f.role.equals("checkpoint")) return f;
		return files.get(0);
	}

	/** The download size of all files, or -1 when any is unknown. */
	public long bytes() {
		long sum = 0;
		for (CatalogFile f : files) {
			if (f.bytes < 0) return -1;
			sum += f.bytes;
		}
		return sum;
	}

	/** "375 MB", or "size unknown": for lists and the Fiji dialog. */
	public String sizeText() {
		return bytes() < 0 ? "size unknown" : Bytes.text(bytes());
	}
}
