package io.stampedsync.stamped;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.stamped.StampedExchange.Request;
import io.stampedsync.stamped.StampedExchange.Response;
import io.stampedsync.throttle.ThrottleRegistry;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The Stamped.io client of one subscription and settings version. Each attempt takes a
 * permit ({@code attempt.transform(permit).retryWhen(retry)}, PITFALLS 2.1), is reported
 * to the {@link CallObserver}, and fails as an {@link OutboundCallException}.
 */
final class WebStampedClient implements StampedClient {

	private final String subscriptionId;

	private final WebClient web;

	private final DefaultUriBuilderFactory uris;

	private final ThrottleRegistry throttles;

	private final Retry retry;

	private final StampedWire wire;

	private final StampedFailures failures;

	private final CallObserver observer;

	private final int maxBodyBytes;

	WebStampedClient(String subscriptionId, String baseUrl, WebClient web, ThrottleRegistry throttles, Retry retry,
			StampedWire wire, StampedFailures failures, CallObserver observer, int maxBodyBytes) {
		this.maxBodyBytes = maxBodyBytes;
		this.subscriptionId = subscriptionId;
		this.web = web;
		this.uris = new DefaultUriBuilderFactory(baseUrl);
		this.throttles = throttles;
		this.retry = retry;
		this.wire = wire;
		this.failures = failures;
		this.observer = observer;
	}

	@Override
	public Mono<String> create(StampedCustomer customer) {
		Request request = request(Operation.CUSTOMER, HttpMethod.POST, StampedWire.CREATE,
				this.wire.customerBody(customer), null);
		return exchange(request, (response) -> this.wire.customerId(response.body())
			.orElseThrow(() -> this.failures.withoutId(request, response)));
	}

	/** Returns the id in the response, or the one updated when the response has none. */
	@Override
	public Mono<String> update(String stampedCustomerId, StampedCustomer customer) {
		Request request = request(Operation.CUSTOMER, HttpMethod.POST, StampedWire.CUSTOMER,
				this.wire.customerBody(customer), stampedCustomerId, stampedCustomerId);
		return exchange(request, (response) -> this.wire.customerId(response.body()).orElse(stampedCustomerId));
	}

	@Override
	public Mono<Map<String, Object>> get(String stampedCustomerId) {
		Request request = request(Operation.CUSTOMER, HttpMethod.GET, StampedWire.CUSTOMER, null, stampedCustomerId,
				stampedCustomerId);
		return exchange(request, (response) -> this.wire.customer(response.body()));
	}

	@Override
	public Mono<List<Map<String, Object>>> list(int page, int take) {
		return exchange(listRequest(page, take), (response) -> this.wire.results(response.body()));
	}

	@Override
	public Mono<Void> subscribe(String email) {
		Request request = request(Operation.SURVEY, HttpMethod.POST, StampedWire.SUBSCRIBE, this.wire.emailBody(email),
				null);
		return exchange(request, Response::status).then();
	}

	@Override
	public Mono<Void> unsubscribe(String email) {
		Request request = request(Operation.SURVEY, HttpMethod.POST, StampedWire.UNSUBSCRIBE,
				this.wire.emailBody(email), null);
		return exchange(request, Response::status).then();
	}

	/**
	 * One attempt, paced but past the credentials breaker; success closes the breaker.
	 */
	@Override
	public Mono<Void> verify() {
		Request request = listRequest(1, 1);
		return Mono.defer(() -> attempt(request, 1))
			.transform((attempt) -> this.throttles.withPermitIgnoringCredentials(this.subscriptionId, Direction.STAMPED,
					attempt))
			.doOnSuccess((response) -> this.throttles.acceptCredentials(this.subscriptionId, Direction.STAMPED))
			.onErrorMap(OutboundCallException.class, request.operation()::relabel)
			.then();
	}

	private Request listRequest(int page, int take) {
		return request(Operation.CUSTOMER, HttpMethod.GET, StampedWire.LIST, null, null, page, take);
	}

	private Request request(Operation operation, HttpMethod method, String template, String body, String customerId,
			Object... variables) {
		URI uri = this.uris.expand(template, variables);
		return new Request(operation, method, uri, body, customerId);
	}

	private <T> Mono<T> exchange(Request request, Function<Response, T> decode) {
		return Mono.defer(() -> {
			AtomicInteger attempts = new AtomicInteger();
			return Mono.defer(() -> attempt(request, attempts.incrementAndGet()))
				.map(decode)
				.transform((attempt) -> this.throttles.withPermit(this.subscriptionId, Direction.STAMPED, attempt))
				.retryWhen(this.retry)
				.onErrorMap(OutboundCallException.class, request.operation()::relabel);
		});
	}

	/** One HTTP call: a 2xx response, or the classified failure. */
	private Mono<Response> attempt(Request request, int attempt) {
		return Mono.deferContextual((context) -> {
			long start = System.nanoTime();
			WebClient.RequestBodySpec call = this.web.method(request.method()).uri(request.uri());
			WebClient.RequestHeadersSpec<?> spec = (request.body() != null)
					? call.contentType(MediaType.APPLICATION_JSON).bodyValue(request.body()) : call;
			return spec
				.exchangeToMono((response) -> body(response).defaultIfEmpty("")
					.map((body) -> new Response(response.statusCode().value(), response.headers().asHttpHeaders(),
							body)))
				.onErrorMap((error) -> this.failures.forTransport(request, error))
				.flatMap((response) -> response.successful() ? Mono.just(response)
						: Mono.error(this.failures.forStatus(request, response)))
				.doOnSuccess((response) -> observe(request, attempt, response.status(), null, start, context))
				.doOnError((error) -> observe(request, attempt, statusOf(error), error, start, context));
		});
	}

	/**
	 * The body as text, read as bytes rather than through the String decoder: that one
	 * logs what it decoded at TRACE, and Stamped.io may echo a credential in an error
	 * body.
	 */
	private Mono<String> body(ClientResponse response) {
		return DataBufferUtils.join(response.bodyToFlux(DataBuffer.class), this.maxBodyBytes).map((buffer) -> {
			try {
				return buffer.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		});
	}

	private void observe(Request request, int attempt, int status, Throwable error, long start, ContextView context) {
		OutboundCall call = new OutboundCall(Direction.STAMPED, this.subscriptionId, request.method().name(),
				request.pathAndQuery(), status,
				(error instanceof OutboundCallException outbound) ? outbound.code() : null,
				Duration.ofNanos(System.nanoTime() - start), attempt);
		this.observer.onCall(call, context);
	}

	private static int statusOf(Throwable error) {
		if (error instanceof OutboundCallException outbound) {
			return outbound.httpStatus();
		}
		return (error instanceof CustomerNotFoundException) ? 404 : 0;
	}

}
