package io.stampedsync.web.security;

import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Finds the caller of each request, statelessly: an {@code Authorization: Bearer <token>}
 * header, else the browser session cookie. An unknown token or session leaves the request
 * anonymous (401 where a role is needed) instead of failing it, because the hooks path
 * carries its own Bearer value (the subscription's webhook key) that is not an API token.
 */
final class ApiCredentials implements ServerSecurityContextRepository {

	/** Name of the browser session cookie. */
	static final String SESSION_COOKIE = "STAMPED_SYNC_SESSION";

	private static final String BEARER = "Bearer ";

	private final ApiTokens tokens;

	private final SessionStore sessions;

	ApiCredentials(ApiTokens tokens, SessionStore sessions) {
		this.tokens = tokens;
		this.sessions = sessions;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
		// Nothing to save: sessions are opened by SessionController only.
		return Mono.empty();
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		return Mono.justOrEmpty(principal(exchange))
			.map((principal) -> new SecurityContextImpl(new ApiAuthentication(principal)));
	}

	Optional<ApiPrincipal> principal(ServerWebExchange exchange) {
		String bearer = bearer(exchange.getRequest().getHeaders());
		if (bearer != null) {
			return this.tokens.resolve(bearer);
		}
		return this.sessions.find(sessionId(exchange));
	}

	static String sessionId(ServerWebExchange exchange) {
		HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SESSION_COOKIE);
		return (cookie != null) ? cookie.getValue() : null;
	}

	private static String bearer(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization == null || authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		return authorization.substring(BEARER.length()).trim();
	}

}
