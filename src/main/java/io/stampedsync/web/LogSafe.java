package io.stampedsync.web;

/**
 * Makes a value from outside (a customer id, an upstream's words, a request path) safe to
 * put into a log line: control characters and line separators become visible escapes
 * ({@code \n}, {@code \r}, {@code \t}, {@code \u001b}), so that no value can end the line
 * and forge the next one. Structured JSON logs
 * ({@code logging.structured.format.console}) escape every field on their own.
 */
public final class LogSafe {

	private LogSafe() {
	}

	/** {@code value} as text with every control character escaped; {@code null} stays. */
	public static String escape(Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString();
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
			if (unsafe && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (!unsafe) {
					escaped.append(c);
				}
				else if (c == '\n') {
					escaped.append("\\n");
				}
				else if (c == '\r') {
					escaped.append("\\r");
				}
				else if (c == '\t') {
					escaped.append("\\t");
				}
				else {
					escaped.append(String.format("\\u%04x", (int) c));
				}
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
