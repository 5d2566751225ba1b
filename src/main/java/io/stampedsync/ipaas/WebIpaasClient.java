package io.stampedsync.ipaas;

import java.net.URI;
import java.util.function.Function;

import io.stampedsync.ipaas.IpaasExchange.Request;
import io.stampedsync.outbound.HttpAttempts;
import io.stampedsync.outbound.HttpAttempts.Reply;
import io.stampedsync.outbound.CallObserver;
import io.stampedsync.outbound.Direction;
import io.stampedsync.outbound.OutboundCallException;
import io.stampedsync.outbound.TransientRetry;
import io.stampedsync.subscription.SubscriptionSettings;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.IpaasCustomer;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The iPaaS.com client of one subscription and settings version. Each attempt, a retry
 * too, takes a permit of the {@code ipaas} direction (PITFALLS 2.1), is reported to the
 * {@link CallObserver}, and fails as an {@link OutboundCallException}.
 */
final class WebIpaasClient implements IpaasClient {

	static final String CUSTOMER = "/customers/v2/Customer/{id}";

	static final String UPDATE_EXTERNAL_ID = "/customers/v2/External/UpdateExternalId";

	private final SubscriptionSettings settings;

	private final DefaultUriBuilderFactory uris;

	private final Throttles throttles;

	private final TransientRetry retry;

	private final IpaasFailures failures;

	private final JsonMapper json;

	private final ObjectReader customerReader;

	private final HttpAttempts<Request> attempts;

	WebIpaasClient(SubscriptionSettings settings, HttpClient http, Throttles throttles, TransientRetry retry,
			IpaasFailures failures, CallObserver observer, JsonMapper json, int maxBodyBytes) {
		this.settings = settings;
		this.uris = new DefaultUriBuilderFactory(baseUrl(settings.ipaasApiUrl()));
		this.throttles = throttles;
		this.retry = retry;
		this.failures = failures;
		this.json = json;
		this.customerReader = json.readerFor(IpaasCustomer.class);
		this.attempts = new HttpAttempts<>(Direction.IPAAS, settings.id(), http, failures, observer, maxBodyBytes,
				settings.concurrentConnections());
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
		byte[] body = this.json.writeValueAsBytes(this.json.createObjectNode()
			.put("table_name", "customer")
			.put("system_id", this.settings.ipaasSystemId())
			.put("external_id", stampedCustomerId)
			.put("internal_id", ipaasCustomerId));
		Request request = new Request("writing back the Stamped.io id of customer " + ipaasCustomerId, HttpMethod.POST,
				this.uris.expand(UPDATE_EXTERNAL_ID), body);
		return exchange(request, Reply::status).then();
	}

	private IpaasCustomer decode(Request request, Reply response, String requestedId) {
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

	private <T> Mono<T> exchange(Request request, Function<Reply, T> decode) {
		return this.attempts
			.exchange(request, decode,
					(attempt) -> this.throttles.withPermit(this.settings.id(), Direction.IPAAS, attempt), this.retry)
			.onErrorMap(OutboundCallException.class, (ex) -> ex.withSettingsVersion(this.settings.version()));
	}

}
