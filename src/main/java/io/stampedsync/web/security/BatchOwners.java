package io.stampedsync.web.security;

import reactor.core.publisher.Mono;

/**
 * Which subscription a batch belongs to, so that {@link ScopeGuard} can hide the batches
 * of subscriptions outside a token's scope. Implemented by the batch feature.
 */
public interface BatchOwners {

	/** The subscription of {@code batchId}, or empty for an unknown batch. */
	Mono<String> subscriptionOf(String batchId);

}
