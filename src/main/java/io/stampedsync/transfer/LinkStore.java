package io.stampedsync.transfer;

import reactor.core.publisher.Mono;

/** Durable customer links, one per subscription and iPaaS customer. */
public interface LinkStore {

	Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId);

	/**
	 * The same, given what a read-ahead page found: a store answers with
	 * {@code prefetched} (no statement of its own) only when it is the link of this
	 * customer and no save of it can have been missed by the page's read; otherwise, or
	 * when {@code prefetched} is {@code null}, it looks the link up as
	 * {@link #find(String, String)} does. The answer is never older than the last save of
	 * the link.
	 */
	default Mono<CustomerLink> find(String subscriptionId, String ipaasCustomerId, PrefetchedLink prefetched) {
		return find(subscriptionId, ipaasCustomerId);
	}

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
