package org.fijisam.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for a safetensors header (objects, arrays, strings, integers, and the
 * rest of the grammar so valid headers parse), kept here so this package needs only the JDK.
 * Objects are LinkedHashMap, arrays ArrayList, integers Long, other numbers Double.
 */
final class MiniJson {
	/** A header nests two levels; the cap keeps a crafted one from overflowing the stack. */
	private static final int MAX_DEPTH = 32;
	private final String s;
	private int p, depth;

	private MiniJson(String s) {
		this.s = s;
	}

	static Object parse(String text) {
		MiniJson j = new MiniJson(text);
		Object v = j.value();
		j.ws();
		if (j.p != text.length()) throw j.error("text after the end");
		return v;
	}

	private Object value() {
		ws();
		if (p >= s.length()) throw error("unexpected end");
		char c = s.charAt(p);
		if (c == '{') return object();
		if (c == '[') return array();
		if (c == '"') return string();
		if (s.startsWith("true", p)) { p += 4; return Boolean.TRUE; }
		if (s.startsWith("false", p)) { p += 5; return Boolean.FALSE; }
		if (s.startsWith("null", p)) { p += 4; return null; }
		return number();
	}

	private Map<String, Object> object() {
		if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
		Map<String, Object> m = new LinkedHashMap<>();
		p++;
		ws();
		if (peek() == '}') { p++; depth--; return m; }
		while (true) {
			ws();
			String k = string();
			ws();
			expect(':');
			if (m.containsKey(k)) throw error("duplicate key " + k);
			m.put(k, value());
			ws();
			if (peek() == ',') { p++; continue; }
			expect('}');
			depth--;
			return m;
		}
	}

	private List<Object> array() {
		if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
		List<Object> l = new ArrayList<>();
		p++;
		ws();
		if (peek() == ']') { p++; depth--; return l; }
		while (true) {
			l.add(value());
			ws();
			if (peek() == ',') { p++; continue; }
			expect(']');
			depth--;
			return l;
		}
	}

	private String string() {
		expect('"');
		StringBuilder b = new StringBuilder();
		while (true) {
			if (p >= s.length()) throw error("unterminated string");
			char c = s.charAt(p++);
			if (c == '"') return b.toString();
			if (c != '\\') { b.append(c); continue; }
			char e = s.charAt(p++);
			switch (e) {
				case 'n': b.append('\n'); break;
				case 't': b.append('\t'); break;
				case 'r': b.append('\r'); break;
				case 'b': b.append('\b'); break;
				case 'f': b.append('\f'); break;
				case 'u': b.append((char) Integer.parseInt(s.substring(p, p + 4), 16)); p += 4; break;
				default: b.append(e);
			}
		}
	}

	private Object number() {
		int start = p;
		while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0)
			p++;
		String n = s.substring(start, p);
		if (n.isEmpty()) throw error("unexpected character '" + s.charAt(p) + "'");
		try {
			return n.matches("-?[0-9]+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
		} catch (NumberFormatException e) {
			throw error("bad number " + n);
		}
	}

	private void ws() {
		while (p < s.length() && Character.isWhitespace(s.charAt(p)))
			p++;
	}

	private char peek() {
		if (p >= s.length()) throw error("unexpected end");
		return s.charAt(p);
	}

	private void expect(char c) {
		if (peek() != c) throw error("expected '" + c + "'");
		p++;
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException(what + " at character " + p);
	}
}
