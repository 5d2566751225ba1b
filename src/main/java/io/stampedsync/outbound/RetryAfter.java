package io.stampedsync.outbound;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110 §10.2.3): either delta-seconds
 * ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}).
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * The delay the header asks for, seen from {@code now}, at most {@code max}; a date
	 * in the past gives zero; a missing or unreadable header gives empty.
	 */
	public static Optional<Duration> parse(String header, Instant now, Duration max) {
		return parse(header, now).map((delay) -> (delay.compareTo(max) > 0) ? max : delay);
	}

	/** The delay the header asks for, seen from {@code now}, uncapped. */
	public static Optional<Duration> parse(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return Optional.empty();
		}
		String value = header.trim();
		if (value.chars().allMatch(Character::isDigit)) {
			try {
				return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
			}
			catch (NumberFormatException ex) {
				// More digits than a long holds: as good as "forever", the cap decides.
				return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
			}
		}
		try {
			Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration delay = Duration.between(now, at);
			return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
