package org.fijisam.ij;

import ij.IJ;

import org.fijisam.core.EmbeddingCache;
import org.fijisam.core.ModelException;
import org.fijisam.core.SamModel;
import org.fijisam.core.SamPredictor;
import org.fijisam.model.ModelSource;
import org.fijisam.model.Models;

/**
 * Keeps one model loaded between commands and macro calls, keyed by model folder, provider and
 * threads: asking again with the same settings returns the same predictor (and its embedding
 * cache); different settings close the old model first. This is the plugin's only shared
 * state, with explicit {@link #close()} and {@link #reload}.
 */
public final class ModelRegistry implements AutoCloseable {

	private static final ModelRegistry SHARED = new ModelRegistry();

	private ModelSettings settings;
	private SamModel model;
	private SamPredictor predictor;
	private int loads;

	/** The registry the ImageJ commands share within one ImageJ session. */
	public static ModelRegistry shared() {
		return SHARED;
	}

	/** The predictor for these settings, loading the model only when it is not loaded already. */
	public synchronized SamPredictor predictor(ModelSettings s) throws ModelException {
		if (predictor != null && s.sameModel(settings)) return predictor;
		close();
		// Provider cuda that cannot start fails here, in the same words as on the command line.
		ModelSource source = s.source();
		SamModel m = Models.load(source, s.execution());
		// A folder without sam.json was recognised from its ONNX graphs: say what and where it went.
		if (source.notice() != null) IJ.log("Segment Anything: " + source.notice());
		model = m;
		settings = s;
		predictor = new SamPredictor(m, EmbeddingCache.inMemory((long) s.cacheMb() << 20));
		loads++;
		return predictor;
	}

	/** Closes the model and loads it again (e.g. after the files in its folder changed). */
	public synchronized SamPredictor reload(ModelSettings s) throws ModelException {
		close();
		return predictor(s);
	}

	/** How many times a model was loaded (tests check that macros reuse it). */
	public synchronized int loadCount() {
		return loads;
	}

	/** What is loaded, for the Settings dialog and the log. */
	public synchronized String describe() {
		if (model == null) return "no model loaded";
		return model.spec().name() + " from " + settings.source().describe() + ", " + model.executionSummary();
	}

	@Override
	public synchronized void close() {
		if (model != null) model.close();
		model = null;
		predictor = null;
		settings = null;
	}
}
