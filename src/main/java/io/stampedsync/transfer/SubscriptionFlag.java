package io.stampedsync.transfer;

import java.util.Locale;

/**
 * Reads the desired survey subscription state from a custom field value. The spellings
 * are those spreadsheets and ERPs commonly use; anything else means "unknown", so the
 * customer is still transferred but its subscription is left alone rather than guessed.
 */
final class SubscriptionFlag {

	private SubscriptionFlag() {
	}

	/**
	 * {@code TRUE}, {@code FALSE}, or {@code null} when absent, blank or not understood.
	 */
	static Boolean parse(String value) {
		if (value == null) {
			return null;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "true", "yes", "y", "1", "subscribed" -> Boolean.TRUE;
			case "false", "no", "n", "0", "unsubscribed" -> Boolean.FALSE;
			default -> null;
		};
	}

}
