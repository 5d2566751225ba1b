package io.stampedsync.web.security;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Keeps a token to its subscriptions: every route under {@code /subscriptions/{id}} or
 * {@code /batches/{batchId}} outside the caller's {@link SubscriptionScope} answers 404
 * with the same words as a missing one, before any controller runs. Lists and streams
 * filter themselves with {@link SubscriptionScope#of} (the scope is put on the exchange
 * here). Hooks are not concerned: they authenticate with their subscription's own key.
 */
final class ScopeGuard implements WebFilter {

	private static final PathPattern SUBSCRIPTION = PathPatternParser.defaultInstance
		.parse("/api/v1/subscriptions/{id}/**");

	private static final PathPattern BATCH = PathPatternParser.defaultInstance.parse("/api/v1/batches/{id}/**");

	private final BatchOwners owners;

	private final ProblemResponses problems;

	ScopeGuard(BatchOwners owners, ProblemResponses problems) {
		this.owners = owners;
		this.problems = problems;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return exchange.getPrincipal()
			.filter(ApiAuthentication.class::isInstance)
			.map((authentication) -> ((ApiAuthentication) authentication).getPrincipal().scope())
			.defaultIfEmpty(SubscriptionScope.ALL)
			.flatMap((scope) -> {
				exchange.getAttributes().put(SubscriptionScope.ATTRIBUTE, scope);
				return scope.isAll() ? chain.filter(exchange) : guarded(scope, exchange, chain);
			});
	}

	private Mono<Void> guarded(SubscriptionScope scope, ServerWebExchange exchange, WebFilterChain chain) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		String subscription = variable(SUBSCRIPTION, path);
		if (subscription != null && !path.value().endsWith("/hooks")) {
			return scope.allows(subscription) ? chain.filter(exchange)
					: this.problems.write(exchange, HttpStatus.NOT_FOUND, "No subscription with id " + subscription);
		}
		String batch = variable(BATCH, path);
		if (batch != null) {
			return this.owners.subscriptionOf(batch)
				.map(scope::allows)
				// An unknown batch: the controller answers its own 404.
				.defaultIfEmpty(true)
				.flatMap((allowed) -> allowed ? chain.filter(exchange)
						: this.problems.write(exchange, HttpStatus.NOT_FOUND, "No batch '" + batch + "'"));
		}
		return chain.filter(exchange);
	}

	private static String variable(PathPattern pattern, PathContainer path) {
		PathPattern.PathMatchInfo match = pattern.matchAndExtract(path);
		Map<String, String> variables = (match != null) ? match.getUriVariables() : Map.of();
		return variables.get("id");
	}

}
