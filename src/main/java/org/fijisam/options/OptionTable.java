package org.fijisam.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one kind of run, in one place: the command line, the macro and dialog code
 * and the SciJava commands all read them from here, so one option has one name and one default
 * everywhere.
 */
public final class OptionTable implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	private final Map<String, Option> byKey = new LinkedHashMap<>();
	private final Map<String, Option> byAnyName = new LinkedHashMap<>();

	public OptionTable(List<Option> options) {
		for (Option o : options) {
			if (byAnyName.put(o.key(), o) != null) throw new IllegalArgumentException("two options named " + o.key());
			byKey.put(o.key(), o);
			for (String a : o.aliases())
				if (byAnyName.put(a, o) != null) throw new IllegalArgumentException("alias " + a + " is taken");
		}
	}

	public List<Option> options() {
		return Collections.unmodifiableList(new ArrayList<>(byKey.values()));
	}

	/** The option named {@code name} (its key, an alias or the CLI spelling), or null. */
	public Option find(String name) {
		return byAnyName.get(name.trim().toLowerCase(Locale.ROOT).replace('-', '_'));
	}

	public Option get(String key) {
		Option o = byKey.get(key);
		if (o == null) throw new IllegalArgumentException("no option " + key);
		return o;
	}

	/**
	 * Checks given values (name -> text) against the table. An unknown name is an error that
	 * lists the known ones, so a typo never goes unnoticed.
	 */
	public OptionValues values(Map<String, String> given) {
		Map<String, String> checked = new LinkedHashMap<>();
		for (Map.Entry<String, String> e : given.entrySet()) {
			Option o = find(e.getKey());
			if (o == null) throw new IllegalArgumentException("Unknown option '" + e.getKey() + "'. Known options: " +
				String.join(", ", byKey.keySet()) + ".");
			checked.put(o.key(), o.check(e.getValue()));
		}
		return new OptionValues(this, checked);
	}
}
