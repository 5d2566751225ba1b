package io.stampedsync.transfer;

/**
 * A strict, RFC 5322-lite email check without any lookup: one {@code @}, a dot-atom local
 * part (no quoted strings, no comments) of at most 64 characters, a domain of at least
 * two dot-separated labels (letters, digits, inner hyphens; no IP literals, no all-digit
 * top level), 254 characters in all. Non-ASCII letters are allowed, as RFC 6531 does.
 * Written by hand rather than as a regex because it runs for every record of a batch.
 */
final class EmailAddress {

	static final int MAX_LENGTH = 254;

	private static final int MAX_LOCAL_LENGTH = 64;

	private static final int MAX_LABEL_LENGTH = 63;

	private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

	private EmailAddress() {
	}

	/** Whether {@code address} (already trimmed) is a valid email address. */
	static boolean isValid(String address) {
		int at = address.indexOf('@');
		if (address.length() > MAX_LENGTH || at <= 0 || at != address.lastIndexOf('@')) {
			return false;
		}
		return isLocalPart(address, 0, at) && isDomain(address, at + 1, address.length());
	}

	private static boolean isLocalPart(String s, int from, int to) {
		if (to - from > MAX_LOCAL_LENGTH || s.charAt(from) == '.' || s.charAt(to - 1) == '.') {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c == '.') {
				if (s.charAt(i - 1) == '.') {
					return false;
				}
			}
			else if (!isAsciiAlphanumeric(c) && ATEXT_SYMBOLS.indexOf(c) < 0 && !isNonAsciiLetterOrDigit(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isDomain(String s, int from, int to) {
		int labels = 0;
		int labelStart = from;
		for (int i = from; i <= to; i++) {
			if (i == to || s.charAt(i) == '.') {
				if (!isLabel(s, labelStart, i)) {
					return false;
				}
				labels++;
				labelStart = i + 1;
			}
		}
		return labels >= 2 && !isAllDigits(s, s.lastIndexOf('.') + 1, to);
	}

	private static boolean isLabel(String s, int from, int to) {
		int length = to - from;
		if (length < 1 || length > MAX_LABEL_LENGTH || s.charAt(from) == '-' || s.charAt(to - 1) == '-') {
			return false;
		}
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c != '-' && !isAsciiAlphanumeric(c) && !isNonAsciiLetterOrDigit(c)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAllDigits(String s, int from, int to) {
		for (int i = from; i < to; i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static boolean isAsciiAlphanumeric(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	private static boolean isNonAsciiLetterOrDigit(char c) {
		// Surrogates carry letters beyond the BMP; JSON never gives unpaired ones.
		return c >= 0x80 && (Character.isLetterOrDigit(c) || Character.isSurrogate(c));
	}

}
