package io.stampedsync.batch;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Starts an accepted batch: a dry run decides on its own, any other goes to its
 * dispatcher.
 */
@Component
class BatchLauncher {

	private final DispatcherManager dispatchers;

	private final DryRunner dryRuns;

	private final SubscriptionRegistry subscriptions;

	private final BatchActions actions;

	BatchLauncher(DispatcherManager dispatchers, DryRunner dryRuns, SubscriptionRegistry subscriptions,
			BatchActions actions) {
		this.dispatchers = dispatchers;
		this.dryRuns = dryRuns;
		this.subscriptions = subscriptions;
		this.actions = actions;
	}

	Mono<Void> launch(Batch batch) {
		if (batch.dryRun()) {
			return this.dryRuns.start(batch);
		}
		return this.dispatchers.submit(batch).onErrorResume((ex) -> orphaned(batch, ex));
	}

	/**
	 * The subscription was deleted while the body arrived: the batch is cancelled rather
	 * than left queued for a subscription that may come back with other keys.
	 */
	private Mono<Void> orphaned(Batch batch, Throwable failure) {
		return this.subscriptions.find(batch.subscriptionId())
			.hasElement()
			.flatMap((exists) -> exists ? Mono.error(failure) : this.actions.cancel(batch)
				.then(Mono.error(ApiProblemException.notFound("Subscription " + batch.subscriptionId()
						+ " was deleted while batch " + batch.id() + " was received; the batch is cancelled"))));
	}

}
