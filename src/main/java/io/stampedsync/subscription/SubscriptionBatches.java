package io.stampedsync.subscription;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The batches of a subscription as its delete sees them; the batch feature implements it,
 * so that settings need not know how batches run.
 */
public interface SubscriptionBatches {

	/**
	 * The ids of the subscription's batches not yet final (receiving, queued, running,
	 * paused), oldest first.
	 */
	Flux<String> unfinished(String subscriptionId);

	/**
	 * Cancels one batch: records not yet started end {@code cancelled}; the batch ends
	 * {@code cancelled} once its calls in flight are over. Completes once asked.
	 */
	Mono<Void> cancel(String batchId);

}
