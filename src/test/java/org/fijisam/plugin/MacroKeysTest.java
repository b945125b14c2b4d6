package org.fijisam.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The macro keys each command reads (m.get("..."), m.flag("..."), ...) are lowercase
 * snake_case, and no key equals the part after "_" of another key of the same command
 * (Macro.getValue would find "image=" inside "label_image="); menu leaf labels are unique.
 */
class MacroKeysTest {

	static final Path PLUGINS = Path.of("src/main/java/org/fijisam/plugin");

	static Map<String, List<String>> keysByCommand() throws IOException {
		Map<String, List<String>> keys = new LinkedHashMap<>();
		Pattern call = Pattern.compile("m\\.(?:get|flag|getInt|getDouble)\\(\"([^\"]+)\"");
		String shared = new String(Files.readAllBytes(PLUGINS.resolve("MacroOptions.java")));
		List<String> modelKeys = List.of("model", "provider", "threads");
		assertTrue(shared.contains("\"model\"") && shared.contains("\"provider\"") && shared.contains(
			"\"threads\""));
		for (String f : new String[] { "SegmentPromptsOptions.java", "Segment_Everything.java",
			"Batch_Segment_Folder.java", "Segment_Anything_Settings.java", "Install_Model.java" })
		{
			List<String> k = new ArrayList<>(modelKeys);
			Matcher m = call.matcher(new String(Files.readAllBytes(PLUGINS.resolve(f))));
			while (m.find())
				k.add(m.group(1));
			keys.put(f, k);
		}
		return keys;
	}

	@Test
	void keysAreSnakeCaseAndUnambiguous() throws IOException {
		List<String> problems = new ArrayList<>();
		for (Map.Entry<String, List<String>> e : keysByCommand().entrySet()) {
			Set<String> keys = new HashSet<>(e.getValue());
			assertTrue(keys.size() > 3, e.getKey() + " " + keys);
			for (String k : keys) {
				if (!k.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*")) problems.add(e.getKey() + ": " + k + " is not snake_case");
				for (int i = k.indexOf('_'); i >= 0; i = k.indexOf('_', i + 1))
					if (keys.contains(k.substring(i + 1))) problems.add(e.getKey() + ": " + k.substring(i + 1) +
						" is the end of " + k);
			}
		}
		assertEquals(new ArrayList<>(), problems);
	}

	@Test
	void menuLeafLabelsAreUnique() throws IOException {
		Set<String> labels = new HashSet<>();
		int n = 0;
		for (String line : Files.readAllLines(Path.of("src/main/resources/plugins.config"))) {
			if (line.startsWith("#") || line.trim().isEmpty()) continue;
			labels.add(line.split(",")[1].trim());
			n++;
		}
		assertEquals(6, n);
		assertEquals(n, labels.size());
	}

	/**
	 * Batch Segment Folder reads output= beside the table's multimask_output= and the flag rois
	 * beside area_rois=: only a key that starts a word counts, so neither is read for the other.
	 */
	@Test
	void aKeyIsNeverReadInsideALongerKey() {
		MacroOptions m = new MacroOptions("input=[/data in] multimask_output=1 area_rois=box output=[/data/out]");
		assertEquals("/data/out", m.get("output", null));
		assertEquals("/data in", m.get("input", null));
		assertEquals("1", m.get("multimask_output", null));
		assertEquals(false, m.flag("rois"));
		assertEquals(null, new MacroOptions("multimask_output=1").get("output", null));
		assertEquals("1", m.values(org.fijisam.options.AutomaticOptions.FILES, java.util.Set.of()).given().get(
			"multimask_output"));
	}
}
