package org.fijisam.options;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values given for an {@link OptionTable}, already checked; what is not given reads as the
 * table's default. Plain strings inside, so a run's settings travel as they are (to a cluster
 * node, into a report).
 */
public final class OptionValues implements Serializable {

	private static final long serialVersionUID = 1L;

	private final OptionTable table;
	private final Map<String, String> given;

	OptionValues(OptionTable table, Map<String, String> given) {
		this.table = table;
		this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
	}

	/** The values the user gave (canonical keys), without defaults. */
	public Map<String, String> given() {
		return given;
	}

	public boolean isGiven(String key) {
		return given.containsKey(key) && !given.get(key).isEmpty();
	}

	/** The given value or the default; "" = not set. */
	public String text(String key) {
		String v = given.get(key);
		return v != null ? v : table.get(key).defaultValue();
	}

	public boolean flag(String key) {
		return Boolean.parseBoolean(text(key));
	}

	public int integer(String key) {
		return Integer.parseInt(text(key));
	}

	public double number(String key) {
		return Double.parseDouble(text(key));
	}

	public OptionTable table() {
		return table;
	}

	@Override
	public String toString() {
		return given.toString();
	}
}
