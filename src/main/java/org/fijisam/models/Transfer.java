package org.fijisam.models;

/** Where a download stands: what, how many bytes of how many, how fast, and how long still. */
public final class Transfer {

	/** Receives a download's progress (a few times per second, and once at the end of each file). */
	@FunctionalInterface
	public interface Listener {
		Listener NONE = t -> {};

		void transferred(Transfer t);
	}

	public final String file;
	public final long done;
	/** -1 when the server does not say. */
	public final long total;
	/** Over this session's bytes (a resumed part does not count as speed). */
	public final double bytesPerSecond;

	public Transfer(String file, long done, long total, double bytesPerSecond) {
		this.file = file;
		this.done = done;
		this.total = total;
		this.bytesPerSecond = bytesPerSecond;
	}

	/** 0..1, or -1 when the total is unknown. */
	public double fraction() {
		return total > 0 ? Math.min(1, done / (double) total) : -1;
	}

	/** Seconds still to go, or -1 when unknown. */
	public double etaSeconds() {
		return total > 0 && bytesPerSecond > 0 ? (total - done) / bytesPerSecond : -1;
	}

	/** "sam_vit_b_01ec64.pth: 120 MB of 375 MB, 11.2 MB/s, 0:23 left". */
	public String text() {
		StringBuilder sb = new StringBuilder(file).append(": ").append(Bytes.text(done));
		if (total > 0) sb.append(" of ").append(Bytes.text(total));
		if (bytesPerSecond > 0) sb.append(", ").append(Bytes.text((long) bytesPerSecond)).append("/s");
		if (etaSeconds() >= 0 && done < total) sb.append(", ").append(Bytes.duration(etaSeconds())).append(" left");
		return sb.toString();
	}
}
