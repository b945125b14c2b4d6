package org.fijisam.options;

import java.io.Serializable;

import org.fijisam.core.ChannelMapping;
import org.fijisam.core.InstanceDecoder;
import org.fijisam.core.ModelException;
import org.fijisam.core.ModelSpec;
import org.fijisam.core.SamPredictor;
import org.fijisam.core.ais.AisParameters;
import org.fijisam.core.amg.AutoMaskGenerator;
import org.fijisam.core.amg.InstancePromptSegmenter;
import org.fijisam.core.amg.InstanceSegmenter;
import org.fijisam.core.amg.PlaneSegmenter;
import org.fijisam.core.Normalization;
import org.fijisam.core.amg.AmgParameters;
import org.fijisam.core.amg.AmgPresets;
import org.fijisam.core.amg.Tiling;

/**
 * The settings of automatic segmentation, read from {@link AutomaticOptions} values the same
 * way for every entry point. Everything is checked when built, so that a wrong value stops a
 * run before the model is loaded. Holds only the checked option text: it travels to cluster
 * nodes as it is.
 */
public final class AutomaticSettings implements Serializable {

	private static final long serialVersionUID = 1L;

	private final OptionValues values;

	private AutomaticSettings(OptionValues values) {
		this.values = values;
	}

	/** @throws IllegalArgumentException naming the option and what it allows */
	public static AutomaticSettings of(OptionValues values) {
		AutomaticSettings s = new AutomaticSettings(values);
		s.parameters(AmgPresets.SAM_DEFAULT);
		s.ais(AisParameters.defaults());
		s.tiling();
		s.normalization();
		s.channels();
		double iou = s.linkIou();
		if (!(iou > 0 && iou <= 1)) throw new IllegalArgumentException("The option link_iou=" + iou +
			" must be above 0 and at most 1.");
		return s;
	}

	public OptionValues values() { return values; }

	/** The preset the user chose, or null when the model's recommended one applies. */
	public String chosenPreset() {
		String p = values.text(AutomaticOptions.PRESET);
		return AutomaticOptions.MODEL_PRESET.equals(p) ? null : p;
	}

	/**
	 * The parameters for a model: the chosen preset, else the one the model recommends, refined
	 * by every given parameter; the old value "default" is the model family's official defaults.
	 */
	public AmgParameters parameters(ModelSpec model) {
		return parameters(model.automaticPreset(), model.familyPreset());
	}

	/** The parameters: the chosen preset (else {@code modelPreset}) refined by every given parameter. */
	public AmgParameters parameters(String modelPreset) {
		return parameters(modelPreset, AmgPresets.SAM_DEFAULT);
	}

	private AmgParameters parameters(String modelPreset, String familyPreset) {
		String preset = chosenPreset();
		if (AutomaticOptions.FAMILY_PRESET.equals(preset)) preset = familyPreset;
		AmgParameters p = AmgPresets.get(preset != null ? preset : modelPreset);
		for (String key : AmgParameters.keys())
			if (values.isGiven(key)) p = p.with(key, values.text(key));
		return p;
	}

	/** The mode the user chose ("amg", "ais", "apg"), or null when the model's recommended one applies. */
	public String chosenMode() {
		String m = values.text(AutomaticOptions.MODE);
		return AutomaticOptions.MODEL_MODE.equals(m) ? null : m;
	}

	/** The watershed's thresholds: each given one, else the model's. */
	public AisParameters ais(AisParameters model) {
		return new AisParameters(given(AutomaticOptions.FOREGROUND_THRESHOLD, model.foregroundThreshold()), given(
			AutomaticOptions.CENTER_DISTANCE_THRESHOLD, model.centerDistanceThreshold()), given(
				AutomaticOptions.BOUNDARY_DISTANCE_THRESHOLD, model.boundaryDistanceThreshold()));
	}

	private double given(String key, double otherwise) {
		return values.table().find(key) != null && values.isGiven(key) ? values.number(key) : otherwise;
	}

	/**
	 * What segments a plane for these settings and this model: SAM's point grid (amg) or the
	 * instance decoder (ais); the mode "auto" is the model's recommended one.
	 *
	 * @throws ModelException when ais is asked of a model without an instance decoder
	 */
	public PlaneSegmenter segmenter(SamPredictor predictor) throws ModelException {
		AmgParameters params = parameters(predictor.spec());
		String mode = chosenMode() != null ? chosenMode() : predictor.model().automaticMode();
		if ("amg".equals(mode)) return new AutoMaskGenerator(predictor, params);
		InstanceDecoder decoder = predictor.model().instanceDecoder();
		if (decoder == null) throw new ModelException("mode " + mode + " needs a model with an instance decoder; " + predictor
			.spec().name() + " has none. Use mode amg (SAM's grid of points), or a model whose sam.json names an " +
			"instance_decoder.");
		if ("apg".equals(mode)) return new InstancePromptSegmenter(predictor, params, ais(decoder.parameters()));
		return new InstanceSegmenter(predictor, params, ais(decoder.parameters()));
	}

	public Tiling tiling() {
		boolean haloGiven = values.isGiven(AutomaticOptions.HALO);
		int halo = values.integer(AutomaticOptions.HALO);
		if (!values.isGiven(AutomaticOptions.TILE)) return haloGiven ? Tiling.of(Tiling.DEFAULT_TILE, halo) : Tiling
			.auto();
		int tile = values.integer(AutomaticOptions.TILE);
		if (tile == 0) return Tiling.none();
		if (tile < 0) throw new IllegalArgumentException("The option tile=" + tile + " must be 0 (never tile) or a " +
			"tile size in pixels.");
		return Tiling.of(tile, halo);
	}

	public Normalization normalization() {
		return Normalization.parse(values.text(AutomaticOptions.NORMALIZE));
	}

	/** The channel mapping, or null for the image's own channels. */
	public ChannelMapping channels() {
		String c = values.text(AutomaticOptions.CHANNELS);
		return c.isEmpty() ? null : ChannelMapping.parseOneBased(c);
	}

	public boolean link() { return values.flag(AutomaticOptions.LINK); }

	public double linkIou() { return values.number(AutomaticOptions.LINK_IOU); }

	/** Options that only runs over files have; false where the table has no such option. */
	private boolean fileFlag(String key) {
		return values.table().find(key) != null && values.flag(key);
	}

	public boolean coco() { return fileFlag(AutomaticOptions.COCO); }

	public boolean rois() { return fileFlag(AutomaticOptions.ROIS); }

	public boolean overwrite() { return fileFlag(AutomaticOptions.OVERWRITE); }

	@Override
	public String toString() {
		return values.toString();
	}
}
