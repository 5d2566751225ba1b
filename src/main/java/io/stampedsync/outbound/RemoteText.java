package io.stampedsync.outbound;

import java.util.Map;

/**
 * What an upstream said, made fit for a message: secrets masked, whitespace and control
 * characters flattened to one space, then cut. The order matters: a cut made before
 * masking leaves the start of a secret that sits across the cut, which no later replace
 * of the whole secret finds.
 */
public final class RemoteText {

	/** Longest piece of an upstream's words put into a message. */
	public static final int LIMIT = 300;

	private RemoteText() {
	}

	/**
	 * {@code text} with every key of {@code masks} replaced by its value, on one line,
	 * cut to {@value #LIMIT} characters (plus an ellipsis when cut).
	 */
	public static String clean(String text, Map<String, String> masks) {
		if (text == null || text.isBlank()) {
			return "";
		}
		String masked = text;
		for (Map.Entry<String, String> mask : masks.entrySet()) {
			if (mask.getKey() != null && !mask.getKey().isEmpty()) {
				masked = masked.replace(mask.getKey(), mask.getValue());
			}
		}
		String flat = masked.replaceAll("[\\s\\p{Cc}\\u2028\\u2029]+", " ").strip();
		return (flat.length() <= LIMIT) ? flat : flat.substring(0, LIMIT) + "…";
	}

}
