package io.stampedsync.web.security;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.web.server.ServerWebExchange;

/**
 * The subscriptions a token may act on: ids ({@code acme-eu}) or prefixes
 * ({@code acme-*}); no entry (the default) or {@code *} means all, so a configuration
 * without scopes keeps working. A subscription outside the scope answers like one that
 * does not exist (404), so its id does not leak.
 *
 * @param patterns the configured entries, empty for all
 */
public record SubscriptionScope(List<String> patterns) {

	/** Every subscription: tokens without a scope, and requests without a token. */
	public static final SubscriptionScope ALL = new SubscriptionScope(List.of());

	/** An id, or an id prefix followed by {@code *}. */
	static final Pattern ENTRY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\*?|\\*");

	static final String ATTRIBUTE = SubscriptionScope.class.getName();

	public SubscriptionScope {
		patterns = List.copyOf(patterns);
	}

	/**
	 * The scope of {@code entries} (trimmed); {@code null}, empty or {@code *} is all.
	 */
	static SubscriptionScope of(List<String> entries) {
		if (entries == null) {
			return ALL;
		}
		List<String> trimmed = entries.stream().map(String::trim).filter((entry) -> !entry.isEmpty()).toList();
		return (trimmed.isEmpty() || trimmed.contains("*")) ? ALL : new SubscriptionScope(trimmed);
	}

	/** The scope of the caller of {@code exchange} (all when the API chain set none). */
	public static SubscriptionScope of(ServerWebExchange exchange) {
		return exchange.getAttributeOrDefault(ATTRIBUTE, ALL);
	}

	/** Whether every subscription is in scope. */
	public boolean isAll() {
		return this.patterns.isEmpty();
	}

	/** Whether {@code subscriptionId} is in scope. */
	public boolean allows(String subscriptionId) {
		if (isAll()) {
			return true;
		}
		if (subscriptionId == null) {
			return false;
		}
		for (String pattern : this.patterns) {
			if (pattern.endsWith("*") ? subscriptionId.startsWith(pattern.substring(0, pattern.length() - 1))
					: subscriptionId.equals(pattern)) {
				return true;
			}
		}
		return false;
	}

}
