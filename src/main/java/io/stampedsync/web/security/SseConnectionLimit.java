package io.stampedsync.web.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Caps the event streams one token holds open at once (its session cookies count as the
 * same token): each stream holds a connection and a live subscription for as long as the
 * client likes, so one leaked script must not exhaust the server. One over the cap → 429;
 * a slot is given back when the stream completes, fails or is cancelled.
 */
final class SseConnectionLimit {

	private static final PathPattern ALL_EVENTS = PathPatternParser.defaultInstance.parse("/api/v1/events");

	private static final PathPattern BATCH_EVENTS = PathPatternParser.defaultInstance
		.parse("/api/v1/batches/{id}/events");

	private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

	private final ProblemResponses problems;

	private final int max;

	SseConnectionLimit(ProblemResponses problems, int max) {
		this.problems = problems;
		this.max = max;
	}

	/** The filter, applied inside the API's security chain once the caller is known. */
	Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!isEventStream(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.map((principal) -> principal.getName())
			// Anonymous requests reach here only on paths that need no role.
			.defaultIfEmpty("")
			.flatMap((name) -> name.isEmpty() ? chain.filter(exchange) : limited(name, exchange, chain));
	}

	private Mono<Void> limited(String name, ServerWebExchange exchange, WebFilterChain chain) {
		AtomicInteger count = this.open.computeIfAbsent(name, (key) -> new AtomicInteger());
		if (count.incrementAndGet() > this.max) {
			count.decrementAndGet();
			return this.problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
					"At most " + this.max + " event streams may be open per token; close one first");
		}
		return chain.filter(exchange).doFinally((signal) -> count.decrementAndGet());
	}

	/** Event streams currently open for {@code name}. */
	int open(String name) {
		AtomicInteger count = this.open.get(name);
		return (count != null) ? count.get() : 0;
	}

	static boolean isEventStream(ServerHttpRequest request) {
		if (ALL_EVENTS.matches(request.getPath().pathWithinApplication())
				|| BATCH_EVENTS.matches(request.getPath().pathWithinApplication())) {
			return true;
		}
		return request.getHeaders()
			.getAccept()
			.stream()
			.anyMatch((type) -> type.isConcrete() && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type));
	}

}
