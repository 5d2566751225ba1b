package io.stampedsync.stamped;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The Stamped.io API of one subscription: the six endpoints of the domain doc. Every
 * attempt takes a permit of the subscription's {@code stamped} limiter; transient
 * failures are retried; failures arrive as
 * {@link io.stampedsync.outbound.OutboundCallException}.
 */
public interface StampedClient {

	/** {@code POST dashboard/customers/add}; Stamped.io de-duplicates by email. */
	Mono<String> create(StampedCustomer customer);

	/**
	 * {@code POST dashboard/customers/{id}}; a 404 fails with
	 * {@link CustomerNotFoundException}.
	 */
	Mono<String> update(String stampedCustomerId, StampedCustomer customer);

	/**
	 * {@code GET dashboard/customers/{id}}: the raw customer, or
	 * {@link CustomerNotFoundException}.
	 */
	Mono<java.util.Map<String, Object>> get(String stampedCustomerId);

	/** {@code GET dashboard/customers?page=&take=}: the {@code results} of one page. */
	Mono<List<java.util.Map<String, Object>>> list(int page, int take);

	/** {@code POST survey/subscribe} with the email. */
	Mono<Void> subscribe(String email);

	/** {@code POST survey/unsubscribe} with the email. */
	Mono<Void> unsubscribe(String email);

	/**
	 * One cheap call ({@code GET dashboard/customers?page=1&take=1}), one attempt, past
	 * the credentials breaker: completes when Stamped.io accepts the settings, and then
	 * closes the breaker; otherwise fails with the classified error.
	 */
	Mono<Void> verify();

}
