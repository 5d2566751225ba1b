package io.stampedsync.web.security;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * CSRF guard for browser sessions: an unsafe call (POST, PUT, PATCH, DELETE)
 * authenticated by the session cookie must carry {@code X-Requested-With: stamped-sync},
 * which a cross-site form cannot send (a script would need a CORS preflight, which the
 * gateway never grants). Bearer calls need no such header: a browser never adds one on
 * its own.
 */
final class CsrfHeaderGuard implements WebFilter {

	static final String HEADER = "X-Requested-With";

	static final String VALUE = "stamped-sync";

	private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	private final ProblemResponses problems;

	CsrfHeaderGuard(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (SAFE.contains(exchange.getRequest().getMethod())
				|| VALUE.equals(exchange.getRequest().getHeaders().getFirst(HEADER))) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.filter(ApiAuthentication.class::isInstance)
			.map((authentication) -> ((ApiAuthentication) authentication).getPrincipal().viaCookie())
			.defaultIfEmpty(false)
			.flatMap((viaCookie) -> viaCookie
					? this.problems.write(exchange, HttpStatus.FORBIDDEN,
							"A call authenticated by the session cookie must send the header " + HEADER + ": " + VALUE)
					: chain.filter(exchange));
	}

}
