package io.stampedsync.web.security;

/**
 * One inbound API token ({@code stamped-sync.security.tokens.<name>.*}).
 *
 * @param secret the Bearer value callers present: at least 16 characters, unique among
 * the tokens; never logged
 * @param role {@code admin}, {@code writer} or {@code reader}
 */
public record TokenProperties(String secret, String role) {

	@Override
	public String toString() {
		return "TokenProperties[role=" + this.role + "]";
	}

}
