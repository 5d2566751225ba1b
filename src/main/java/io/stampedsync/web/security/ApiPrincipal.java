package io.stampedsync.web.security;

/**
 * Who made a request: the configured token's name and role, and whether it came as a
 * Bearer header or a browser session cookie (cookies need the CSRF header on unsafe
 * methods). Never holds the token itself.
 *
 * @param name the token's name under {@code stamped-sync.security.tokens}
 * @param role its role
 * @param viaCookie whether the request was authenticated by the session cookie
 * @param scope the subscriptions the token may act on
 */
public record ApiPrincipal(String name, ApiRole role, boolean viaCookie, SubscriptionScope scope) {

	/** A caller that may act on every subscription. */
	public ApiPrincipal(String name, ApiRole role, boolean viaCookie) {
		this(name, role, viaCookie, SubscriptionScope.ALL);
	}

	ApiPrincipal byCookie() {
		return new ApiPrincipal(this.name, this.role, true, this.scope);
	}

}
