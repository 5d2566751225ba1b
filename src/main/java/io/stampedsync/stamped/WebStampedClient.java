package io.stampedsync.stamped;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.outbound.TransientRetry;
import io.stampedsync.stamped.StampedExchange.Request;
import io.stampedsync.outbound.HttpAttempts;
import io.stampedsync.outbound.HttpAttempts.Reply;
import io.stampedsync.throttle.ThrottleRegistry;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The Stamped.io client of one subscription and settings version. Each attempt, a retry
 * too, takes a permit (PITFALLS 2.1), is reported to the {@link CallObserver}, and fails
 * as an {@link OutboundCallException}.
 */
final class WebStampedClient implements StampedClient {

	private final String subscriptionId;

	private final long settingsVersion;

	private final DefaultUriBuilderFactory uris;

	private final Map<String, URI> fixedUris = new ConcurrentHashMap<>();

	private final ThrottleRegistry throttles;

	private final TransientRetry retry;

	private final StampedWire wire;

	private final StampedFailures failures;

	private final HttpAttempts<Request> attempts;

	WebStampedClient(String subscriptionId, long settingsVersion, String baseUrl, HttpClient http,
			ThrottleRegistry throttles, TransientRetry retry, StampedWire wire, StampedFailures failures,
			CallObserver observer, int maxBodyBytes, int connections) {
		this.subscriptionId = subscriptionId;
		this.settingsVersion = settingsVersion;
		this.uris = new DefaultUriBuilderFactory(baseUrl);
		this.throttles = throttles;
		this.retry = retry;
		this.wire = wire;
		this.failures = failures;
		this.attempts = new HttpAttempts<>(Direction.STAMPED, subscriptionId, http, failures, observer, maxBodyBytes,
				connections);
	}

	@Override
	public Mono<String> create(StampedCustomer customer) {
		Request request = request(Operation.CUSTOMER, HttpMethod.POST, StampedWire.CREATE,
				this.wire.customerBody(customer), null);
		return exchange(request, (response) -> this.wire.customerId(readableId(request, response, false))
			.orElseThrow(() -> this.failures.withoutId(request, response)));
	}

	/** Returns the id in the response, or the one updated when the response has none. */
	@Override
	public Mono<String> update(String stampedCustomerId, StampedCustomer customer) {
		Request request = request(Operation.CUSTOMER, HttpMethod.POST, StampedWire.CUSTOMER,
				this.wire.customerBody(customer), stampedCustomerId, stampedCustomerId);
		return exchange(request,
				(response) -> this.wire.customerId(readableId(request, response, true)).orElse(stampedCustomerId));
	}

	@Override
	public Mono<Map<String, Object>> get(String stampedCustomerId) {
		Request request = request(Operation.CUSTOMER, HttpMethod.GET, StampedWire.CUSTOMER, null, stampedCustomerId,
				stampedCustomerId);
		return exchange(request, (response) -> this.wire.customer(readable(request, response, true)));
	}

	@Override
	public Mono<List<Map<String, Object>>> list(int page, int take) {
		Request request = listRequest(page, take);
		return exchange(request, (response) -> this.wire.results(readable(request, response, true)));
	}

	@Override
	public Mono<Void> subscribe(String email) {
		Request request = request(Operation.SURVEY, HttpMethod.POST, StampedWire.SUBSCRIBE, this.wire.emailBody(email),
				null);
		return exchange(request, Reply::status).then();
	}

	@Override
	public Mono<Void> unsubscribe(String email) {
		Request request = request(Operation.SURVEY, HttpMethod.POST, StampedWire.UNSUBSCRIBE,
				this.wire.emailBody(email), null);
		return exchange(request, Reply::status).then();
	}

	/**
	 * One attempt, paced but past the credentials breaker; success closes the breaker.
	 */
	@Override
	public Mono<Void> verify() {
		Request request = listRequest(1, 1);
		return this.attempts.whenConnectionFree(this.throttles.withPermitIgnoringCredentials(this.subscriptionId,
				Direction.STAMPED, Mono.defer(() -> this.attempts.attempt(request, 1))))
			.doOnSuccess((response) -> {
				// A verify of superseded keys says nothing about the current ones.
				if (this.throttles.isCurrent(this.subscriptionId, this.settingsVersion)) {
					this.throttles.acceptCredentials(this.subscriptionId, Direction.STAMPED);
				}
			})
			.onErrorMap(OutboundCallException.class, (ex) -> labelled(request, ex))
			.then();
	}

	/**
	 * The reply's body read as JSON, once; else the transient failure that retries the
	 * call (decoding runs inside the retried attempt).
	 */
	private JsonNode readable(Request request, Reply response, boolean emptyAllowed) {
		JsonNode body = this.wire.readableTree(response.body(), emptyAllowed);
		if (body == null) {
			throw this.failures.unreadable(request, response);
		}
		return body;
	}

	/** The same, for a create or update answer: only its customer id is read. */
	private JsonNode readableId(Request request, Reply response, boolean emptyAllowed) {
		JsonNode ids = this.wire.readableId(response.body(), emptyAllowed);
		if (ids == null) {
			throw this.failures.unreadable(request, response);
		}
		return ids;
	}

	private Request listRequest(int page, int take) {
		return request(Operation.CUSTOMER, HttpMethod.GET, StampedWire.LIST, null, null, page, take);
	}

	private Request request(Operation operation, HttpMethod method, String template, byte[] body, String customerId,
			Object... variables) {
		// A path without variables is expanded once per client, not on every call.
		URI uri = (variables.length == 0) ? this.fixedUris.computeIfAbsent(template, this.uris::expand)
				: this.uris.expand(template, variables);
		return new Request(operation, method, uri, body, customerId);
	}

	private <T> Mono<T> exchange(Request request, Function<Reply, T> decode) {
		return this.attempts
			.exchange(request, decode,
					(attempt) -> this.throttles.withPermit(this.subscriptionId, Direction.STAMPED, attempt), this.retry)
			.onErrorMap(OutboundCallException.class, (ex) -> labelled(request, ex));
	}

	/**
	 * The failure in the wording of its operation, with the settings version the call
	 * used, so that whoever handles a 401/403 can tell a current rejection from a late
	 * one.
	 */
	private OutboundCallException labelled(Request request, OutboundCallException failure) {
		return request.operation().relabel(failure).withSettingsVersion(this.settingsVersion);
	}

}
