package io.stampedsync.subscription;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the rest of the gateway finds subscriptions, whether they come from configuration
 * or from the API, and learns of their changes.
 */
public interface SubscriptionRegistry {

	/** The subscription, or empty when there is none with that id. */
	Mono<SubscriptionSettings> find(String id);

	/** Every subscription, ordered by id. */
	Flux<SubscriptionSettings> findAll();

	/**
	 * Hot stream of changes: the new settings on create or update, and a
	 * {@link SubscriptionChange#deleted()} change on delete. Never completes.
	 */
	Flux<SubscriptionChange> changes();

	/**
	 * A change to one subscription; {@code settings} is {@code null} when it was deleted.
	 */
	record SubscriptionChange(String id, SubscriptionSettings settings) {

		public boolean deleted() {
			return this.settings == null;
		}

	}

}
