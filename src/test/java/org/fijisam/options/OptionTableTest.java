package org.fijisam.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.fijisam.command.BatchSegmentFolderCommand;
import org.fijisam.command.SegmentEverythingCommand;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.amg.AmgPresets;
import org.junit.jupiter.api.Test;
import org.scijava.plugin.Parameter;

/** One option, one name and one default everywhere: the table, the SciJava commands, old macro keys. */
class OptionTableTest {

	@Test
	void sciJavaParametersNamedLikeAnOptionHaveItsDefaultAndChoices() throws Exception {
		int checked = 0;
		for (Class<?> c : List.of(BatchSegmentFolderCommand.class, SegmentEverythingCommand.class)) {
			Object fresh = c.getDeclaredConstructor().newInstance();
			for (Field f : c.getDeclaredFields()) {
				Parameter p = f.getAnnotation(Parameter.class);
				Option o = p == null ? null : AutomaticOptions.FILES.find(f.getName());
				if (o == null || !o.key().equals(f.getName())) continue;
				f.setAccessible(true);
				Object v = f.get(fresh);
				String value = v == null || Boolean.FALSE.equals(v) ? "" : v.toString();
				String expected = o.type() == Option.Type.FLAG ? "" : o.defaultValue();
				if (o.key().equals(AutomaticOptions.MODEL)) continue; // a File parameter, empty = built-in
				// Batch Segment Folder's own "mode" (roi_files, everything, amg, ais) predates the table's; it
				// takes the table's amg, ais and apg as its last choices.
				if (c == BatchSegmentFolderCommand.class && o.key().equals(AutomaticOptions.MODE)) {
					assertEquals(List.of("roi_files", "everything", "amg", "ais", "apg"), Arrays.asList(p.choices()));
					continue;
				}
				assertEquals(expected, value, c.getSimpleName() + "." + f.getName() + " default");
				if (o.type() == Option.Type.CHOICE) assertEquals(o.choices(), Arrays.asList(p.choices()), c.getSimpleName() +
					"." + f.getName() + " choices");
				checked++;
			}
		}
		assertTrue(checked >= 14, "parameters checked: " + checked);
	}

	@Test
	void presetChoicesAreTheModelsThenEveryPreset() {
		assertEquals("auto", AutomaticOptions.PRESETS.get(0));
		assertTrue(AutomaticOptions.PRESETS.containsAll(AmgPresets.names()));
	}

	@Test
	void olderMacroKeysAndValuesStillRead() {
		OptionValues v = AutomaticOptions.SEGMENTATION.values(Map.of("stability_thresh", "0.4", "min_size", "7",
			"preset", "default"));
		assertEquals("0.4", v.text("stability_score_thresh"));
		assertEquals(7, v.integer("min_object_size"));
		assertEquals(AutomaticOptions.FAMILY_PRESET, v.text("preset"));
	}

	@Test
	void oldDefaultPresetIsTheFamilysOfficialDefaultsAndAutoTheModelsChoice() {
		ModelSpec sam1 = new ModelSpec("s1", 1024, new float[3], new float[] { 1, 1, 1 }, new int[] { 256, 64, 64 },
			256, 4).withAutomaticPreset("microscopy");
		ModelSpec sam2 = sam1.withFamilyPreset("sam2_default").withAutomaticPreset("sam2_default");
		AutomaticSettings old = AutomaticSettings.of(AutomaticOptions.SEGMENTATION.values(Map.of("preset", "default",
			"use_m2m", "1")));
		assertEquals(AmgPresets.get("sam_default").with("use_m2m", 1), old.parameters(sam1));
		assertEquals(AmgPresets.get("sam2_default").with("use_m2m", 1), old.parameters(sam2));
		AutomaticSettings auto = AutomaticSettings.of(AutomaticOptions.SEGMENTATION.values(Map.of()));
		assertEquals(AmgPresets.get("microscopy"), auto.parameters(sam1));
		assertEquals(AmgPresets.get("sam2_default"), auto.parameters(sam2));
		assertFalse(auto.parameters(sam2).useM2m(), "use_m2m is off unless asked for, as in SAM 2");
	}

	@Test
	void wrongNamesAndValuesAreNamedWithWhatIsAllowed() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutomaticOptions.FILES.values(
			Map.of("pred_iou_tresh", "0.5")));
		assertTrue(e.getMessage().contains("pred_iou_tresh") && e.getMessage().contains("pred_iou_thresh"), e
			.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> AutomaticOptions.FILES.values(Map.of("preset",
			"nuclei")));
		assertTrue(e.getMessage().contains("microscopy"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> AutomaticOptions.FILES.values(Map.of("points_per_side",
			"3.5")));
		assertTrue(e.getMessage().contains("whole number"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> AutomaticSettings.of(AutomaticOptions.FILES.values(Map
			.of("link_iou", "2"))));
		assertTrue(e.getMessage().contains("link_iou"), e.getMessage());
	}

	@Test
	void unsetNumbersKeepThePresetsValues() {
		AutomaticSettings s = AutomaticSettings.of(AutomaticOptions.FILES.values(Map.of("points_per_side", "NaN",
			"pred_iou_thresh", "")));
		assertEquals(AmgPresets.get("microscopy"), s.parameters("microscopy"));
		assertFalse(s.coco() || s.rois() || s.overwrite() || s.link());
	}
}
