package io.stampedsync.transfer;

import reactor.core.publisher.Mono;

/** Durable customer links, one per subscription and iPaaS customer. */
public interface LinkStore {

	Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId);

	/**
	 * Creates or replaces the link; fails with a {@link LeaseLost} when the subscription
	 * passed to another replica.
	 */
	Mono<Void> save(CustomerLink link);

	/**
	 * Marks the failure of a write refused because the subscription's lease moved on: a
	 * transfer lets it through (no outcome, the record stays pending for the new owner)
	 * instead of ending the record {@code failed}.
	 */
	interface LeaseLost {

	}

}
