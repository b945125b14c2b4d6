package org.fijisam.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Writes float32 safetensors files, so a test can make a checkpoint with a tensor more or less. */
final class SafetensorsBuilder {
	private final Map<String, long[]> shapes = new LinkedHashMap<>();
	private final Map<String, float[]> values = new LinkedHashMap<>();

	SafetensorsBuilder put(String name, long[] shape, float[] v) {
		shapes.put(name, shape);
		values.put(name, v);
		return this;
	}

	SafetensorsBuilder remove(String name) {
		shapes.remove(name);
		values.remove(name);
		return this;
	}

	void write(Path file) throws IOException {
		JsonObject header = new JsonObject();
		long at = 0;
		for (String k : shapes.keySet()) {
			JsonObject t = new JsonObject();
			t.addProperty("dtype", "F32");
			JsonArray s = new JsonArray();
			for (long d : shapes.get(k))
				s.add(d);
			t.add("shape", s);
			JsonArray o = new JsonArray();
			o.add(at);
			at += 4L * values.get(k).length;
			o.add(at);
			t.add("data_offsets", o);
			header.add(k, t);
		}
		byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
		ByteBuffer b = ByteBuffer.allocate(8 + h.length + (int) at).order(ByteOrder.LITTLE_ENDIAN);
		b.putLong(h.length).put(h);
		for (float[] v : values.values())
			for (float f : v)
				b.putFloat(f);
		Files.write(file, b.array());
	}
}
