package io.stampedsync.subscription;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A credential that is written once and never shown again: {@link #toString()} and JSON
 * give only a masked form that keeps at most the last four characters (DESIGN.md §3).
 */
public final class Secret {

	private final String value;

	private Secret(String value) {
		this.value = value;
	}

	/** A secret holding {@code value}; {@code null} or blank gives {@code null}. */
	public static Secret of(String value) {
		return (value == null || value.isBlank()) ? null : new Secret(value);
	}

	/** The clear value, for the one place that must send it (an Authorization header). */
	public String reveal() {
		return this.value;
	}

	/**
	 * The masked form, e.g. {@code key-…a1b2}; short secrets show nothing of themselves.
	 */
	@JsonValue
	public String masked() {
		int dash = this.value.indexOf('-');
		String prefix = (dash > 0 && dash <= 8 && dash < this.value.length() - 8) ? this.value.substring(0, dash + 1)
				: "";
		int shown = Math.min(4, Math.max(0, this.value.length() - 8));
		return prefix + "…" + this.value.substring(this.value.length() - shown);
	}

	/** Constant-time comparison with a presented value (for webhook keys and tokens). */
	public boolean matches(String presented) {
		if (presented == null) {
			return false;
		}
		return MessageDigest.isEqual(this.value.getBytes(StandardCharsets.UTF_8),
				presented.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Secret secret && MessageDigest.isEqual(this.value.getBytes(StandardCharsets.UTF_8),
				secret.value.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	@Override
	public String toString() {
		return masked();
	}

}
