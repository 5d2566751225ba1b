package io.stampedsync.web.security;

import java.util.List;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * One inbound API token ({@code stamped-sync.security.tokens.<name>.*}).
 *
 * @param secret the Bearer value callers present: at least 16 characters, unique among
 * the tokens; never logged
 * @param role {@code admin}, {@code writer} or {@code reader}
 * @param subscriptions the subscriptions the token may act on: ids or {@code prefix-*}
 * patterns; none (the default) means all
 */
public record TokenProperties(String secret, String role, List<String> subscriptions) {

	@ConstructorBinding
	public TokenProperties {
	}

	/** A token for every subscription. */
	public TokenProperties(String secret, String role) {
		this(secret, role, null);
	}

	@Override
	public String toString() {
		return "TokenProperties[role=" + this.role + ", subscriptions=" + this.subscriptions + "]";
	}

}
