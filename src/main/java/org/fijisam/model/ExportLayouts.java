package org.fijisam.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.fijisam.core.ModelException;

/**
 * Recognises the ready-made SAM exports people download, from their ONNX graphs' input and
 * output names and shapes alone, and writes the sam.json they would otherwise write by hand.
 * Pure Java: the graphs come from a {@link GraphReader} (or from tests).
 *
 * <p>The names are those the exporters write: segment-anything's scripts/export_onnx_model.py
 * (decoder), samexporter's export_encoder.py / export_decoder.py (SAM 1) and export_sam2.py
 * (SAM 2 / 2.1), and transformers.js' SamModel / Sam2Model sessions (vision_encoder,
 * prompt_encoder_mask_decoder: SamModel's as HF optimum exports it, points only; Sam2Model's,
 * points and boxes, no mask prompt). See docs/model-descriptor.md.
 */
public final class ExportLayouts {

	/** Layout names written to sam.json's "layout" and printed by {@code models inspect}. */
	public static final String OFFICIAL_SAM1 = "official-sam1";
	public static final String SAMEXPORTER_SAM1 = "samexporter-sam1";
	public static final String SAMEXPORTER_SAM2 = "samexporter-sam2";
	public static final String FIJISAM_SAM2 = "fijisam-sam2";
	public static final String TRANSFORMERS_JS = "transformers.js";

	static final String TJS_ENCODER = "vision_encoder.onnx";
	static final String TJS_DECODER = "prompt_encoder_mask_decoder.onnx";
	/** The image tensors a transformers.js SAM 1 encoder returns and its decoder takes back, by role = name. */
	private static final String[] TJS_IMAGE_TENSORS = { "image_embeddings", "image_positional_embeddings" };

	/** transformers.js SAM 2's encoder outputs for image_embeddings, high_res_feats_0 and _1 (by role). */
	private static final String[][] TJS_SAM2_TENSORS = { { "image_embeddings", "image_embeddings.2" },
		{ "high_res_feats_0", "image_embeddings.0" }, { "high_res_feats_1", "image_embeddings.1" } };

	// SAM's training statistics (0..255 scale): every export recognised here expects them.
	private static final double[] PIXEL_MEAN = { 123.675, 116.28, 103.53 };
	private static final double[] PIXEL_STD = { 58.395, 57.12, 57.375 };

	private static final String[] SAM1_DECODER_INPUTS = { "image_embeddings", "point_coords", "point_labels",
		"mask_input", "has_mask_input" };
	private static final String[] SAM2_DECODER_INPUTS = { "image_embed", "high_res_feats_0", "high_res_feats_1",
		"point_coords", "point_labels", "mask_input", "has_mask_input" };
	private static final String[] SAM2_ENCODER_OUTPUTS = { "high_res_feats_0", "high_res_feats_1", "image_embed" };

	/** What a folder's ONNX files were recognised as. */
	public static final class Recognition {
		public final String layout;
		public final String family;
		/** Role ("encoder", "decoder", "batch_decoder") -> file. */
		public final Map<String, String> files;
		/** The descriptor to write, sha256 not yet filled in. */
		public final JsonObject descriptor;
		/** Null when the plugin can run it, else why not, in words for the user. */
		public final String notLoadable;
		/** Facts the user should know (assumptions made, other candidate files). */
		public final List<String> notes;

		Recognition(String layout, String family, Map<String, String> files, JsonObject descriptor,
			String notLoadable, List<String> notes)
		{
			this.layout = layout;
			this.family = family;
			this.files = files;
			this.descriptor = descriptor;
			this.notLoadable = notLoadable;
			this.notes = notes;
		}
	}

	private ExportLayouts() {}

	/**
	 * Recognises the layout of a folder's ONNX graphs (file name -> graph).
	 *
	 * @param name the model name for sam.json (usually the folder's name)
	 * @throws ModelException for an unknown layout or a layout missing a file: a message listing
	 *           the tensors found and what to do
	 */
	public static Recognition recognise(String name, Map<String, OnnxGraph> graphs, String where)
		throws ModelException
	{
		List<String> notes = new ArrayList<>();
		Recognition r = transformersJs(name, graphs, where, notes);
		if (r == null) r = sam2(name, graphs, where, notes);
		if (r == null) r = sam1(name, graphs, where, notes);
		if (r != null) return r;
		throw new ModelException(unknown(graphs, where));
	}

	// ---- transformers.js (Xenova/sam-vit-base, Xenova/slimsam-*, onnx-community/sam2*-ONNX) ----

	private static boolean isTjsEncoder(OnnxGraph g) {
		return g.inputsAre("pixel_values") && (g.outputsInclude("image_embeddings", "image_positional_embeddings") ||
			g.outputsInclude("image_embeddings.0", "image_embeddings.1", "image_embeddings.2"));
	}

	private static boolean isTjsDecoder(OnnxGraph g) {
		return g.inputsInclude("input_points", "input_labels") && g.outputsInclude("iou_scores", "pred_masks");
	}

	private static Recognition transformersJs(String name, Map<String, OnnxGraph> graphs, String where,
		List<String> notes) throws ModelException
	{
		OnnxGraph enc = pick(graphs, ExportLayouts::isTjsEncoder, "encoder", notes);
		OnnxGraph dec = pick(graphs, ExportLayouts::isTjsDecoder, "decoder", notes);
		if (enc == null && dec == null) return null;
		if (dec == null) throw new ModelException(where + " holds a transformers.js SAM image encoder (" + enc.file +
			") but no prompt decoder: " + TJS_DECODER + " (or one of its quantised variants) is missing. Download " +
			"onnx/" + TJS_DECODER + " from the same model repository into this folder.");
		if (enc == null) throw new ModelException(where + " holds a transformers.js SAM prompt decoder (" + dec.file +
			") but no image encoder: " + TJS_ENCODER + " is missing. Download onnx/" + TJS_ENCODER +
			" from the same model repository into this folder.");
		Map<String, String> files = new LinkedHashMap<>();
		files.put("encoder", enc.file);
		files.put("decoder", dec.file);
		if (enc.output("image_embeddings.2") != null) return new Recognition(TRANSFORMERS_JS, "sam2", files,
			tjsSam2(name, enc, dec, notes), null, notes);
		OnnxGraph.Tensor embed = enc.output("image_embeddings");
		JsonObject d = header(name, "sam1", TRANSFORMERS_JS, enc.input("pixel_values"), embed, lowRes(dec));
		// No preprocessing section: HF's SamImageProcessor is SAM 1's pipeline (Pillow's bilinear
		// resize of the longest side, ImageNet mean/std, padding after normalising).
		JsonObject e = new JsonObject();
		e.addProperty("file", enc.file);
		e.addProperty("input", "pixel_values");
		e.addProperty("output", "image_embeddings");
		JsonObject outs = new JsonObject();
		for (String role : TJS_IMAGE_TENSORS)
			outs.addProperty(role, role);
		e.add("outputs", outs);
		d.add("encoder", e);
		JsonObject dj = tjsDecoder(dec, notes);
		for (String role : TJS_IMAGE_TENSORS)
			dj.getAsJsonObject("inputs").addProperty(role, role);
		d.add("decoder", dj);
		return new Recognition(TRANSFORMERS_JS, "sam1", files, d, null, notes);
	}

	/** pred_masks [1, B, 3, L, L] as the [1, 1, L, L] mask input header() takes the low-res size from. */
	private static OnnxGraph.Tensor lowRes(OnnxGraph dec) {
		OnnxGraph.Tensor masks = dec.output("pred_masks");
		return masks != null && masks.rank() == 5 ? new OnnxGraph.Tensor(masks.name, masks.type, 1, 1, masks.dim(3),
			masks.dim(4)) : null;
	}

	/** The decoder section both transformers.js variants share; the image tensors are added by the caller. */
	private static JsonObject tjsDecoder(OnnxGraph dec, List<String> notes) {
		JsonObject dj = new JsonObject();
		dj.addProperty("file", dec.file);
		dj.addProperty("prompt_interface", TRANSFORMERS_JS);
		// The point-batch axis (1) of input_points: prompts with the same number of points run together.
		OnnxGraph.Tensor points = dec.input("input_points");
		dj.addProperty("batch_axis", points == null || points.rank() != 4 || points.dim(1) != 1);
		dj.addProperty("orig_im_size", false);
		// optimum's SamModel and transformers.js' Sam2Model exports: multimask_output=True, tokens 1..3 only.
		dj.addProperty("mask_outputs", maskOutputs(dec.output("iou_scores"), 3, dec.file, notes));
		JsonObject in = new JsonObject();
		in.addProperty("point_coords", "input_points");
		in.addProperty("point_labels", "input_labels");
		dj.add("inputs", in);
		JsonObject out = new JsonObject();
		out.addProperty("iou_predictions", "iou_scores");
		out.addProperty("low_res_masks", "pred_masks");
		dj.add("outputs", out);
		return dj;
	}

	/**
	 * transformers.js' SAM 2 (Sam2Model, onnx-community/sam2*-ONNX): family sam2 with SAM 2's
	 * official preprocessing, the three image tensors by role, and input_boxes (no mask input).
	 */
	private static JsonObject tjsSam2(String name, OnnxGraph enc, OnnxGraph dec, List<String> notes) {
		OnnxGraph.Tensor embed = enc.output("image_embeddings.2");
		JsonObject d = header(name, "sam2", TRANSFORMERS_JS, enc.input("pixel_values"), embed, lowRes(dec));
		sam2Preprocessing(d, enc.output("image_embeddings.0"), enc.output("image_embeddings.1"));
		JsonObject e = new JsonObject();
		e.addProperty("file", enc.file);
		e.addProperty("input", "pixel_values");
		e.addProperty("output", embed.name);
		JsonObject outs = new JsonObject();
		JsonObject dj = tjsDecoder(dec, notes);
		for (String[] t : TJS_SAM2_TENSORS) {
			outs.addProperty(t[0], t[1]);
			dj.getAsJsonObject("inputs").addProperty(t[0], t[1]);
		}
		e.add("outputs", outs);
		d.add("encoder", e);
		dj.getAsJsonObject("inputs").addProperty("boxes", "input_boxes");
		if (dec.output("object_score_logits") != null) dj.getAsJsonObject("outputs").addProperty(
			"object_score_logits", "object_score_logits");
		d.add("decoder", dj);
		d.addProperty("object_score_gating", false);
		return d;
	}

	// ---- samexporter SAM 2 / 2.1 (export_sam2.py), and our own SAM 2 export ----

	private static boolean isSam2Encoder(OnnxGraph g) {
		return g.inputs.size() == 1 && g.inputs.get(0).rank() == 4 && g.outputsInclude(SAM2_ENCODER_OUTPUTS);
	}

	private static boolean isSam2Decoder(OnnxGraph g) {
		return g.inputsAre(SAM2_DECODER_INPUTS) && g.outputsInclude("masks", "iou_predictions");
	}

	private static Recognition sam2(String name, Map<String, OnnxGraph> graphs, String where, List<String> notes)
		throws ModelException
	{
		List<OnnxGraph> decoders = all(graphs, ExportLayouts::isSam2Decoder);
		OnnxGraph enc = pick(graphs, ExportLayouts::isSam2Encoder, "encoder", notes);
		if (enc == null && decoders.isEmpty()) return null;
		if (enc == null) throw new ModelException(where + " holds a SAM 2 prompt decoder (" + decoders.get(0).file +
			") but no SAM 2 image encoder (input image [1,3,1024,1024]; outputs high_res_feats_0, " +
			"high_res_feats_1, image_embed). Copy the encoder exported with it (samexporter: *.encoder.onnx) " +
			"into this folder.");
		if (decoders.isEmpty()) throw new ModelException(where + " holds a SAM 2 image encoder (" + enc.file +
			") but no SAM 2 prompt decoder (inputs " + String.join(", ", SAM2_DECODER_INPUTS) + "). Copy the " +
			"decoder exported with it (samexporter: *.decoder.onnx) into this folder.");
		// Our own export returns all four tokens unclamped plus object_score_logits; samexporter's
		// (multimask_output=True) returns tokens 1..3 only, clamped to +-32 in the graph.
		boolean own = decoders.get(0).output("object_score_logits") != null;
		OnnxGraph single = null;
		OnnxGraph batch = null;
		for (OnnxGraph g : preferred(decoders)) {
			// samexporter leaves the prompt axis dynamic but traced its decoder with one prompt and an
			// image embedding of batch 1: it is run one prompt at a time, as its own inference code does.
			if (own && batchAxis(g)) {
				if (batch == null) batch = g;
			}
			else if (single == null) single = g;
			else notes.add("also found the decoder " + g.file + " (not used)");
		}
		OnnxGraph any = single != null ? single : batch;
		String layout = own ? FIJISAM_SAM2 : SAMEXPORTER_SAM2;
		OnnxGraph.Tensor embed = enc.output("image_embed");
		JsonObject d = header(name, "sam2", layout, enc.inputs.get(0), embed, any.input("mask_input"));
		sam2Preprocessing(d, enc.output("high_res_feats_0"), enc.output("high_res_feats_1"));
		JsonObject e = new JsonObject();
		e.addProperty("file", enc.file);
		e.addProperty("input", enc.inputs.get(0).name);
		e.addProperty("output", "image_embed");
		JsonObject outs = new JsonObject();
		outs.addProperty("image_embeddings", "image_embed");
		outs.addProperty("high_res_feats_0", "high_res_feats_0");
		outs.addProperty("high_res_feats_1", "high_res_feats_1");
		e.add("outputs", outs);
		d.add("encoder", e);
		Map<String, String> files = new LinkedHashMap<>();
		files.put("encoder", enc.file);
		if (single != null) {
			d.add("decoder", sam2Decoder(single, false, own, notes));
			files.put("decoder", single.file);
		}
		if (batch != null) {
			d.add("batch_decoder", sam2Decoder(batch, true, own, notes));
			files.put("batch_decoder", batch.file);
		}
		if (own) {
			JsonObject sm = new JsonObject();
			sm.addProperty("dynamic_multimask_via_stability", true);
			sm.addProperty("stability_delta", 0.05);
			sm.addProperty("stability_thresh", 0.98);
			d.add("single_mask", sm);
		}
		d.addProperty("mask_input_clamp", 32.0);
		d.addProperty("object_score_gating", false);
		return new Recognition(layout, "sam2", files, d, null, notes);
	}

	/** SAM 2's official preprocessing and the (C, H, W) of the two high-resolution maps. */
	private static void sam2Preprocessing(JsonObject d, OnnxGraph.Tensor highRes0, OnnxGraph.Tensor highRes1) {
		JsonObject pre = new JsonObject();
		pre.addProperty("intensity", "as_is");
		pre.addProperty("resize", "antialiased");
		pre.addProperty("fit", "stretch");
		d.add("preprocessing", pre);
		JsonArray hr = new JsonArray();
		hr.add(chw(highRes0));
		hr.add(chw(highRes1));
		d.add("high_res_shapes", hr);
	}

	private static JsonObject sam2Decoder(OnnxGraph g, boolean batch, boolean own, List<String> notes) {
		JsonObject dj = new JsonObject();
		dj.addProperty("file", g.file);
		dj.addProperty("batch_axis", batch);
		dj.addProperty("orig_im_size", false);
		dj.addProperty("mask_outputs", maskOutputs(g.output("iou_predictions"), own ? 4 : 3, g.file, notes));
		// Both exports append SAM 2's padding point inside the graph.
		dj.addProperty("pads_points", true);
		JsonObject in = new JsonObject();
		in.addProperty("image_embeddings", "image_embed");
		for (String n : SAM2_DECODER_INPUTS)
			if (!n.equals("image_embed")) in.addProperty(n, n);
		dj.add("inputs", in);
		JsonObject out = new JsonObject();
		out.addProperty("iou_predictions", "iou_predictions");
		out.addProperty("low_res_masks", "masks");
		if (g.output("object_score_logits") != null) out.addProperty("object_score_logits", "object_score_logits");
		dj.add("outputs", out);
		return dj;
	}

	// ---- SAM 1: the official decoder export (and samexporter's, which writes the same names) ----

	private static boolean isSam1Decoder(OnnxGraph g) {
		return g.inputsInclude(SAM1_DECODER_INPUTS) && g.outputsInclude("iou_predictions", "low_res_masks") &&
			(g.inputs.size() == SAM1_DECODER_INPUTS.length || g.inputs.size() == SAM1_DECODER_INPUTS.length + 1 &&
				g.input("orig_im_size") != null);
	}

	/** One image input [1,3,S,S] and one output [1,C,E,E], whatever their names (the official repo has no encoder export). */
	private static boolean isSam1Encoder(OnnxGraph g) {
		if (g.inputs.size() != 1 || g.outputs.size() != 1) return false;
		OnnxGraph.Tensor in = g.inputs.get(0);
		OnnxGraph.Tensor out = g.outputs.get(0);
		return in.rank() == 4 && maybe(in.dim(1), 3) && maybe(in.dim(0), 1) && out.rank() == 4 && maybe(out.dim(0), 1);
	}

	/** samexporter's --use-preprocess encoder: input_image [H,W,3] of 0..255 pixels, normalised and padded in the graph. */
	private static boolean isPreprocessingEncoder(OnnxGraph g) {
		return g.inputsAre("input_image") && g.inputs.get(0).rank() == 3 && maybe(g.inputs.get(0).dim(2), 3) && g
			.outputs.size() == 1 && g.outputs.get(0).rank() == 4;
	}

	private static Recognition sam1(String name, Map<String, OnnxGraph> graphs, String where, List<String> notes)
		throws ModelException
	{
		List<OnnxGraph> decoders = all(graphs, ExportLayouts::isSam1Decoder);
		List<OnnxGraph> encoders = all(graphs, g -> isSam1Encoder(g) || isPreprocessingEncoder(g));
		if (decoders.isEmpty() && encoders.isEmpty()) return null;
		if (decoders.isEmpty()) throw new ModelException(where + " holds what looks like a SAM 1 image encoder (" +
			encoders.get(0).describe() + ") but no SAM 1 prompt decoder (inputs " + String.join(", ",
				SAM1_DECODER_INPUTS) + "[, orig_im_size]; outputs iou_predictions, low_res_masks). Export the " +
			"decoder with segment-anything's scripts/export_onnx_model.py (or samexporter) into this folder, or " +
			"add a sam.json that names the files (see docs/model-descriptor.md).");
		OnnxGraph single = null;
		OnnxGraph batch = null;
		for (OnnxGraph g : preferred(decoders)) {
			if (batchAxis(g)) {
				if (batch == null) batch = g;
			}
			else if (single == null) single = g;
		}
		OnnxGraph any = single != null ? single : batch;
		OnnxGraph.Tensor embedIn = any.input("image_embeddings");
		OnnxGraph enc = null;
		for (OnnxGraph g : preferred(encoders))
			if (fits(g.outputs.get(0), embedIn)) {
				enc = g;
				break;
			}
		if (enc == null) throw new ModelException(where + " holds a SAM 1 prompt decoder (" + any.file +
			", image_embeddings " + embedIn + ") but no image encoder whose output fits it. " + (encoders.isEmpty()
				? "Copy the image encoder exported with it into this folder (input [1,3,1024,1024], output " +
					"[1,256,64,64] for SAM ViT-B/L/H)." : "Found: " + describeAll(encoders) + ". Use the encoder " +
						"of the same model."));
		for (OnnxGraph g : encoders)
			if (g != enc) notes.add("also found the encoder " + g.file + " (not used)");
		boolean samexporter = enc.input("input_image") != null;
		String layout = samexporter ? SAMEXPORTER_SAM1 : OFFICIAL_SAM1;
		boolean preprocessing = isPreprocessingEncoder(enc);
		OnnxGraph.Tensor embed = enc.outputs.get(0);
		if (embed.rank() != 4 || embed.dim(1) < 0) embed = embedIn;
		JsonObject d = header(name, "sam1", layout, preprocessing ? null : enc.inputs.get(0), embed, any.input(
			"mask_input"));
		JsonObject e = new JsonObject();
		e.addProperty("file", enc.file);
		e.addProperty("input", enc.inputs.get(0).name);
		e.addProperty("output", enc.outputs.get(0).name);
		d.add("encoder", e);
		Map<String, String> files = new LinkedHashMap<>();
		files.put("encoder", enc.file);
		if (single != null) {
			d.add("decoder", sam1Decoder(single, false, notes));
			files.put("decoder", single.file);
		}
		if (batch != null) {
			d.add("batch_decoder", sam1Decoder(batch, true, notes));
			files.put("batch_decoder", batch.file);
		}
		String notLoadable = preprocessing ? "its encoder (" + enc.file + ", input_image [H,W,3]) was exported " +
			"with samexporter's --use-preprocess: it takes the resized 0..255 pixels and normalises and pads " +
			"inside the graph, while this plugin feeds [1,3,S,S] normalised tensors. Re-export the encoder " +
			"without --use-preprocess (samexporter.export_encoder ... without that flag)." : null;
		return new Recognition(layout, "sam1", files, d, notLoadable, notes);
	}

	private static JsonObject sam1Decoder(OnnxGraph g, boolean batch, List<String> notes) {
		JsonObject dj = new JsonObject();
		dj.addProperty("file", g.file);
		dj.addProperty("batch_axis", batch);
		dj.addProperty("orig_im_size", g.input("orig_im_size") != null);
		// export_onnx_model.py returns all four tokens unless --return-single-mask.
		dj.addProperty("mask_outputs", maskOutputs(g.output("iou_predictions"), 4, g.file, notes));
		JsonObject in = new JsonObject();
		for (String n : SAM1_DECODER_INPUTS)
			in.addProperty(n, n);
		if (g.input("orig_im_size") != null) in.addProperty("orig_im_size", "orig_im_size");
		dj.add("inputs", in);
		JsonObject out = new JsonObject();
		out.addProperty("iou_predictions", "iou_predictions");
		out.addProperty("low_res_masks", "low_res_masks");
		dj.add("outputs", out);
		return dj;
	}

	// ---- shared pieces ----

	/** format, name, family, layout, sizes and normalisation, from the encoder's tensors. */
	private static JsonObject header(String name, String family, String layout, OnnxGraph.Tensor image,
		OnnxGraph.Tensor embed, OnnxGraph.Tensor maskInput)
	{
		JsonObject d = new JsonObject();
		d.addProperty("format", 1);
		d.addProperty("name", name);
		d.addProperty("family", family);
		d.addProperty("layout", layout);
		long size = image != null && image.dim(3) > 0 ? image.dim(3) : 1024;
		d.addProperty("input_size", size);
		d.add("pixel_mean", array(PIXEL_MEAN));
		d.add("pixel_std", array(PIXEL_STD));
		JsonArray shape = chw(embed);
		// An encoder with dynamic sizes: SAM's 16x downsampling.
		if (embed.dim(2) < 0) shape = chw(new OnnxGraph.Tensor(embed.name, embed.type, 1, embed.dim(1) > 0 ? embed
			.dim(1) : 256, size / 16, size / 16));
		d.add("embedding_shape", shape);
		long e = shape.get(2).getAsLong();
		d.addProperty("low_res_size", maskInput != null && maskInput.dim(3) > 0 ? maskInput.dim(3) : 4 * e);
		return d;
	}

	private static JsonArray chw(OnnxGraph.Tensor t) {
		JsonArray a = new JsonArray();
		for (int i = 1; i < 4; i++)
			a.add(t.dim(i));
		return a;
	}

	private static JsonArray array(double[] v) {
		JsonArray a = new JsonArray();
		for (double x : v)
			a.add(x);
		return a;
	}

	/** A fixed mask count from iou_predictions' shape, else the exporter's default (said in a note). */
	private static int maskOutputs(OnnxGraph.Tensor iou, int fallback, String file, List<String> notes) {
		long k = iou != null ? iou.dim(iou.rank() - 1) : -1;
		if (k == 1 || k == 3 || k == 4) return (int) k;
		notes.add(file + ": the number of masks is not fixed in the graph; assumed " + fallback +
			" (the exporter's default). If it was exported with a single-mask option, set mask_outputs to 1.");
		return fallback;
	}

	/** A batch decoder takes B prompts at once: its mask_input's first axis is not fixed to 1. */
	private static boolean batchAxis(OnnxGraph g) {
		OnnxGraph.Tensor m = g.input("mask_input");
		return g.input("orig_im_size") == null && m != null && m.dim(0) != 1;
	}

	private static boolean fits(OnnxGraph.Tensor out, OnnxGraph.Tensor embedIn) {
		if (out.rank() != 4 || embedIn == null || embedIn.rank() != 4) return out.rank() == 4;
		for (int i = 1; i < 4; i++)
			if (out.dim(i) > 0 && embedIn.dim(i) > 0 && out.dim(i) != embedIn.dim(i)) return false;
		return true;
	}

	private static boolean maybe(long dim, long value) {
		return dim < 0 || dim == value;
	}

	private static List<OnnxGraph> all(Map<String, OnnxGraph> graphs, Predicate<OnnxGraph> test) {
		List<OnnxGraph> out = new ArrayList<>();
		for (OnnxGraph g : graphs.values())
			if (test.test(g)) out.add(g);
		return out;
	}

	/**
	 * The best of several files for one role: model repositories ship quantised and float16
	 * variants beside the float32 file, and the plugin feeds float32; the others are noted.
	 */
	private static OnnxGraph pick(Map<String, OnnxGraph> graphs, Predicate<OnnxGraph> test, String role,
		List<String> notes)
	{
		List<OnnxGraph> found = preferred(all(graphs, test));
		if (found.isEmpty()) return null;
		for (int i = 1; i < found.size(); i++)
			notes.add("also found the " + role + " " + found.get(i).file + " (not used)");
		return found.get(0);
	}

	private static List<OnnxGraph> preferred(List<OnnxGraph> graphs) {
		List<OnnxGraph> out = new ArrayList<>(graphs);
		out.sort(Comparator.comparingInt(ExportLayouts::variantRank).thenComparingInt(g -> g.file.length())
			.thenComparing(g -> g.file));
		return out;
	}

	private static int variantRank(OnnxGraph g) {
		for (OnnxGraph.Tensor t : g.inputs)
			if (!t.type.equals("FLOAT") && !t.type.equals("INT64")) return 2;
		String f = g.file.toLowerCase(Locale.ROOT);
		for (String v : new String[] { "quant", "int8", "uint8", "q4", "fp16", "bnb4", "q8" })
			if (f.contains(v)) return 1;
		return 0;
	}

	private static String describeAll(List<OnnxGraph> graphs) {
		StringBuilder sb = new StringBuilder();
		for (OnnxGraph g : graphs)
			sb.append("\n  ").append(g.describe());
		return sb.toString();
	}

	static String unknown(Map<String, OnnxGraph> graphs, String where) {
		if (graphs.isEmpty()) return "The model folder " + where + " has no sam.json and no ONNX files. Choose a " +
			"folder with an exported SAM model.";
		return "The ONNX files in " + where + " are not a layout this plugin recognises. Found:" + describeAll(
			new ArrayList<>(graphs.values())) + "\nRecognised layouts: the official SAM 1 export (decoder inputs image_embeddings, " +
			"point_coords, point_labels, mask_input, has_mask_input, orig_im_size) with its image encoder; " +
			"samexporter's SAM 1 and SAM 2/2.1 exports (*.encoder.onnx + *.decoder.onnx); transformers.js (" +
			TJS_ENCODER + " + " + TJS_DECODER + "). For another export, write a sam.json that names its files and " +
			"tensors (see docs/model-descriptor.md).";
	}
}
