package io.stampedsync.ipaas;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.stampedsync.ipaas.IpaasExchange.Request;
import io.stampedsync.ipaas.IpaasExchange.Response;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCall;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.IpaasCustomer;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The iPaaS.com client of one subscription and settings version. Each attempt takes a
 * permit of the {@code ipaas} direction
 * ({@code attempt.transform(permit).retryWhen(retry)}, PITFALLS 2.1), is reported to the
 * {@link CallObserver}, and fails as an {@link OutboundCallException}.
 */
final class WebIpaasClient implements IpaasClient {

	static final String CUSTOMER = "/customers/v2/Customer/{id}";

	static final String UPDATE_EXTERNAL_ID = "/customers/v2/External/UpdateExternalId";

	private final SubscriptionSettings settings;

	private final WebClient web;

	private final DefaultUriBuilderFactory uris;

	private final Throttles throttles;

	private final Retry retry;

	private final IpaasFailures failures;

	private final CallObserver observer;

	private final JsonMapper json;

	private final ObjectReader customerReader;

	private final int maxBodyBytes;

	WebIpaasClient(SubscriptionSettings settings, WebClient web, Throttles throttles, Retry retry,
			IpaasFailures failures, CallObserver observer, JsonMapper json, int maxBodyBytes) {
		this.settings = settings;
		this.web = web;
		this.uris = new DefaultUriBuilderFactory(baseUrl(settings.ipaasApiUrl()));
		this.throttles = throttles;
		this.retry = retry;
		this.failures = failures;
		this.observer = observer;
		this.json = json;
		this.customerReader = json.readerFor(IpaasCustomer.class);
		this.maxBodyBytes = maxBodyBytes;
	}

	static String baseUrl(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	@Override
	public Mono<IpaasCustomer> customer(String ipaasCustomerId) {
		URI uri = this.uris.expand(CUSTOMER, ipaasCustomerId);
		Request request = new Request("reading customer " + ipaasCustomerId, HttpMethod.GET, uri, null);
		return exchange(request, (response) -> decode(request, response, ipaasCustomerId));
	}

	@Override
	public Mono<Void> updateExternalId(String ipaasCustomerId, String stampedCustomerId) {
		String body = this.json.writeValueAsString(this.json.createObjectNode()
			.put("table_name", "customer")
			.put("system_id", this.settings.ipaasSystemId())
			.put("external_id", stampedCustomerId)
			.put("internal_id", ipaasCustomerId));
		Request request = new Request("writing back the Stamped.io id of customer " + ipaasCustomerId, HttpMethod.POST,
				this.uris.expand(UPDATE_EXTERNAL_ID), body);
		return exchange(request, Response::status).then();
	}

	private IpaasCustomer decode(Request request, Response response, String requestedId) {
		IpaasCustomer customer;
		try {
			customer = this.customerReader.readValue(response.body());
		}
		catch (JacksonException ex) {
			throw this.failures.unreadable(request, response);
		}
		if (customer == null) {
			throw this.failures.unreadable(request, response);
		}
		if (customer.id() == null || customer.id().isBlank()) {
			// The id asked for is the one the batch knows this customer by.
			return new IpaasCustomer(requestedId, customer.customerNumber(), customer.firstName(), customer.lastName(),
					customer.emailAddress(), customer.company(), customer.comment(), customer.customFields(),
					customer.externalIds(), customer.addresses());
		}
		return customer;
	}

	private <T> Mono<T> exchange(Request request, Function<Response, T> decode) {
		return Mono.defer(() -> {
			AtomicInteger attempts = new AtomicInteger();
			return Mono.defer(() -> attempt(request, attempts.incrementAndGet()))
				.map(decode)
				.transform((attempt) -> this.throttles.withPermit(this.settings.id(), Direction.IPAAS, attempt))
				.retryWhen(this.retry);
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
				.doOnError((error) -> observe(request, attempt, error, start, context));
		});
	}

	/**
	 * The body as text, read as bytes: the String decoder logs what it decoded at TRACE.
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

	private void observe(Request request, int attempt, Throwable error, long start, ContextView context) {
		OutboundCallException outbound = (error instanceof OutboundCallException known) ? known : null;
		observe(request, attempt, (outbound != null) ? outbound.httpStatus() : 0, outbound, start, context);
	}

	private void observe(Request request, int attempt, int status, OutboundCallException error, long start,
			ContextView context) {
		OutboundCall call = new OutboundCall(Direction.IPAAS, this.settings.id(), request.method().name(),
				request.pathAndQuery(), status, (error != null) ? error.code() : null,
				Duration.ofNanos(System.nanoTime() - start), attempt);
		this.observer.onCall(call, context);
	}

}
