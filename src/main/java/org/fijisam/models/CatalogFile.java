package org.fijisam.models;

/**
 * One file of a catalog entry: where it is downloaded from, its size and the hash its publisher
 * gives (null where none is published), and where each of those facts was found.
 */
public final class CatalogFile {

	/** What the file is to the model: "checkpoint" (the weights) or "decoder" (micro-sam's instance decoder). */
	public final String role;
	public final String url;
	/** The file name in the store. */
	public final String file;
	/** The size in bytes, or -1 when unknown (then the server's Content-Length is used). */
	public final long bytes;
	/** The published hash, or null: then the SHA-256 is computed and recorded at install. */
	public final FileHash hash;
	public final String urlSource;
	public final String hashSource;

	public CatalogFile(String role, String url, String file, long bytes, FileHash hash, String urlSource,
		String hashSource)
	{
		this.role = role;
		this.url = url;
		this.file = file;
		this.bytes = bytes;
		this.hash = hash;
		this.urlSource = urlSource;
		this.hashSource = hashSource;
	}
}
