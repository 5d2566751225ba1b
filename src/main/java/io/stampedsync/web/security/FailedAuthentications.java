package io.stampedsync.web.security;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One limiter for every failed authentication of the API: a wrong Bearer token on any
 * route, a wrong webhook key on a hook, a wrong token at login. Each 401 answered to a
 * request that presented credentials counts against its client address; once the address
 * has used up its failures of the last minute, every API call from it gets 429 with
 * {@code Retry-After}, before any credential is compared, so that a right guess is not
 * confirmed either. Requests without credentials are not counted: a forgotten header
 * guesses nothing.
 */
final class FailedAuthentications implements WebFilter {

	private static final String SESSION = "/api/v1/session";

	private final LoginThrottle throttle;

	private final ClientAddress addresses;

	private final ProblemResponses problems;

	FailedAuthentications(LoginThrottle throttle, ClientAddress addresses, ProblemResponses problems) {
		this.throttle = throttle;
		this.addresses = addresses;
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String address = this.addresses.of(request);
		Duration wait = this.throttle.retryAfter(address);
		if (!wait.isZero()) {
			exchange.getResponse()
				.getHeaders()
				.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, wait.toSeconds() + 1)));
			return this.problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
					"Too many failed authentications from this address; try again later");
		}
		if (presentsCredentials(request)) {
			exchange.getResponse().beforeCommit(() -> {
				if (HttpStatus.UNAUTHORIZED.equals(exchange.getResponse().getStatusCode())) {
					this.throttle.failed(address);
				}
				return Mono.empty();
			});
		}
		return chain.filter(exchange);
	}

	private static boolean presentsCredentials(ServerHttpRequest request) {
		return request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION) != null
				|| (request.getMethod() == HttpMethod.POST && SESSION.equals(request.getPath().value()));
	}

}
