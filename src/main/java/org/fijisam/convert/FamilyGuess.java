package org.fijisam.convert;

import java.util.Map;

import org.fijisam.checkpoint.CheckpointTensor;

/**
 * What architecture a checkpoint's tensor names and shapes say it is, so that a wrong
 * --family or --size is answered with what the file really holds rather than a list of
 * hundreds of missing tensors.
 */
final class FamilyGuess {
	/** "sam1" (ViT or TinyViT), "sam2" or null when no SAM image encoder is recognised. */
	final String family;
	/** The official size the shapes match, or null (a custom configuration). */
	final String size;
	/** The tensor that gave it away, for the message. */
	final String evidence;

	/** TinyViT rather than ViT (MobileSAM, micro-sam vit_t). */
	final boolean tinyVit;

	private FamilyGuess(String family, String size, String evidence) {
		this(family, size, evidence, false);
	}

	private FamilyGuess(String family, String size, String evidence, boolean tinyVit) {
		this.family = family;
		this.size = size;
		this.evidence = evidence;
		this.tinyVit = tinyVit;
	}

	static FamilyGuess of(Map<String, CheckpointTensor> t) {
		for (String k : t.keySet())
			if (k.startsWith("image_encoder.trunk.") || k.startsWith("memory_attention.")) {
				CheckpointTensor p = t.get("image_encoder.trunk.patch_embed.proj.weight");
				return new FamilyGuess("sam2", p == null ? null : sam2Size(p.shape()[0], count(t,
					"image_encoder.trunk.blocks.")), k);
			}
		for (String k : t.keySet())
			if (k.startsWith("image_encoder.layers.") || k.startsWith("image_encoder.patch_embed.seq.")) {
				// MobileSAM's TinyViT-5M: stem width 64, six blocks in the third stage
				CheckpointTensor stem = t.get("image_encoder.patch_embed.seq.2.c.weight");
				boolean official = stem != null && stem.shape()[0] == 64 && count(t, "image_encoder.layers.2.blocks.") == 6;
				return new FamilyGuess("sam1", official ? "vit_t" : null, k, true);
			}
		CheckpointTensor patch = t.get("image_encoder.patch_embed.proj.weight");
		if (patch != null && t.containsKey("image_encoder.pos_embed")) {
			long width = patch.shape()[0];
			int depth = count(t, "image_encoder.blocks.");
			String size = width == 768 && depth == 12 ? "vit_b" : width == 1024 && depth == 24 ? "vit_l" : width ==
				1280 && depth == 32 ? "vit_h" : null;
			return new FamilyGuess("sam1", size, "image_encoder.patch_embed.proj.weight " + shape(patch) + ", " +
				depth + " blocks");
		}
		return new FamilyGuess(null, null, t.isEmpty() ? "no tensors" : "first tensor " + t.keySet().iterator()
			.next());
	}

	/**
	 * The official SAM 2.1 sizes by Hiera width and depth (sam2/configs/sam2.1/*.yaml): tiny and
	 * small 96 wide (12 / 16 blocks), base+ 112 (24), large 144 (48). Named as the templates are.
	 */
	private static String sam2Size(long width, int blocks) {
		if (width == 96) return blocks == 12 ? "hiera_t" : blocks == 16 ? "hiera_s" : null;
		if (width == 112) return blocks == 24 ? "hiera_b+" : null;
		return width == 144 && blocks == 48 ? "hiera_l" : null;
	}

	/** The number of blocks: distinct indices after the prefix. */
	private static int count(Map<String, CheckpointTensor> t, String prefix) {
		int n = 0;
		for (String k : t.keySet())
			if (k.startsWith(prefix)) {
				String rest = k.substring(prefix.length());
				int dot = rest.indexOf('.');
				try {
					n = Math.max(n, Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot)) + 1);
				}
				catch (NumberFormatException e) {
					// not an indexed block
				}
			}
		return n;
	}

	static String shape(CheckpointTensor t) {
		return java.util.Arrays.toString(t.shape());
	}

	/** "SAM 2 (found image_encoder.trunk.…)" */
	String describe() {
		String what = family == null ? "no SAM model" : tinyVit ? "MobileSAM / micro-sam vit_t (TinyViT)"
			: family.equals("sam1") ? "SAM 1" + (size != null ? " " + size : "") : "SAM 2" + (size != null ? " " + size
				: "");
		return what + " (found " + evidence + ")";
	}
}
