package org.fijisam.io;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.fijisam.core.AtomicFiles;
import org.fijisam.core.amg.AmgResult;
import org.fijisam.core.amg.CocoRle;
import org.fijisam.core.amg.GeneratedMask;

/**
 * Automatic segmentation results as JSON in the SA-1B annotation layout:
 * {@code {"image": {image_id, width, height, file_name}, "annotations": [{id, segmentation:
 * {size: [h, w], counts: "<compressed COCO RLE>"}, area, bbox: [x, y, w, h], predicted_iou,
 * point_coords: [[x, y]], stability_score, crop_box: [x, y, w, h]}]}}. pycocotools'
 * mask.decode reads each segmentation directly.
 */
public final class CocoJson {

	private CocoJson() {}

	/** The JSON document for one image. */
	public static JsonObject toJson(AmgResult result, String fileName, long imageId) {
		JsonObject image = new JsonObject();
		image.addProperty("image_id", imageId);
		image.addProperty("width", result.width());
		image.addProperty("height", result.height());
		image.addProperty("file_name", fileName);
		JsonArray annotations = new JsonArray();
		int id = 0;
		for (GeneratedMask m : result.masks()) {
			JsonObject a = new JsonObject();
			a.addProperty("id", ++id);
			JsonObject seg = new JsonObject();
			seg.add("size", array(result.height(), result.width()));
			seg.addProperty("counts", CocoRle.toString(CocoRle.encode(m.mask(), result.width(), result.height())));
			a.add("segmentation", seg);
			a.addProperty("area", m.area());
			int[] b = m.bbox();
			a.add("bbox", array(b[0], b[1], b[2], b[3]));
			a.addProperty("predicted_iou", m.predictedIou());
			JsonArray point = new JsonArray();
			point.add(array(m.pointCoords()[0], m.pointCoords()[1]));
			a.add("point_coords", point);
			a.addProperty("stability_score", m.stabilityScore());
			int[] c = m.cropBox();
			a.add("crop_box", array(c[0], c[1], c[2], c[3]));
			annotations.add(a);
		}
		JsonObject root = new JsonObject();
		root.add("image", image);
		root.add("annotations", annotations);
		return root;
	}

	/** Writes the document atomically. */
	public static void write(Path file, AmgResult result, String fileName, long imageId) throws IOException {
		JsonObject json = toJson(result, fileName, imageId);
		Gson gson = new GsonBuilder().disableHtmlEscaping().create();
		AtomicFiles.write(file, tmp -> {
			try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
				gson.toJson(json, w);
			}
		});
	}

	/** The masks of a file written by {@link #write}, row-major {@code height x width} each. */
	public static List<byte[]> readMasks(Path file) throws IOException {
		JsonObject root;
		try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			root = new Gson().fromJson(r, JsonObject.class);
		}
		List<byte[]> masks = new ArrayList<>();
		for (JsonElement e : root.getAsJsonArray("annotations")) {
			JsonObject seg = e.getAsJsonObject().getAsJsonObject("segmentation");
			JsonArray size = seg.getAsJsonArray("size");
			int h = size.get(0).getAsInt(), w = size.get(1).getAsInt();
			JsonElement counts = seg.get("counts");
			int[] c;
			if (counts.isJsonArray()) {
				JsonArray arr = counts.getAsJsonArray();
				c = new int[arr.size()];
				for (int i = 0; i < c.length; i++)
					c[i] = arr.get(i).getAsInt();
			}
			else c = CocoRle.fromString(counts.getAsString());
			masks.add(CocoRle.decode(c, w, h));
		}
		return masks;
	}

	private static JsonArray array(Number... values) {
		JsonArray a = new JsonArray();
		for (Number v : values)
			a.add(v);
		return a;
	}
}
