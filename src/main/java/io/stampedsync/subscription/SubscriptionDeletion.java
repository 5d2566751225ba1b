package io.stampedsync.subscription;

import java.time.Duration;
import java.util.List;

import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code DELETE /subscriptions/{id}} (DESIGN.md §4): no batch is ever left without its
 * subscription. Unfinished batches refuse the delete (409 naming them) unless the caller
 * asks to cancel them; then they are cancelled, the delete waits until they are final
 * (their calls in flight over), and only then deletes. A batch accepted while the delete
 * ran is cancelled after it, so a subscription created later under the same id never
 * continues an old batch.
 */
@Component
class SubscriptionDeletion {

	/**
	 * How long a delete waits for cancelled batches to finish their calls in flight
	 * before it answers 409 (the cancel stays; the delete can be sent again).
	 */
	static final Duration FINISH_WAIT = Duration.ofSeconds(30);

	private static final Duration POLL = Duration.ofMillis(100);

	private static final int NAMED = 20;

	private final DefaultSubscriptionRegistry registry;

	private final SubscriptionBatches batches;

	SubscriptionDeletion(DefaultSubscriptionRegistry registry, ObjectProvider<SubscriptionBatches> batches) {
		this.registry = registry;
		this.batches = batches.getIfAvailable(() -> NONE);
	}

	Mono<Void> delete(String id, boolean cancelBatches) {
		return this.registry.deletable(id).then(this.batches.unfinished(id).collectList()).flatMap((unfinished) -> {
			if (unfinished.isEmpty()) {
				return this.registry.delete(id);
			}
			if (!cancelBatches) {
				return Mono.error(ApiProblemException
					.conflict("Subscription " + id + " has " + unfinished.size() + " unfinished batch(es): "
							+ names(unfinished) + "; cancel them first, or delete with ?cancelBatches=true"));
			}
			return Flux.fromIterable(unfinished)
				.concatMap(this.batches::cancel)
				.then(finished(id))
				.then(Mono.defer(() -> this.registry.delete(id)));
		}).then(Mono.defer(() -> sweep(id)));
	}

	/** Completes once the subscription has no unfinished batch; 409 after the wait. */
	private Mono<Void> finished(String id) {
		return Mono.defer(() -> this.batches.unfinished(id).collectList())
			.filter(List::isEmpty)
			.repeatWhenEmpty((empty) -> empty.delayElements(POLL))
			.timeout(FINISH_WAIT,
					Mono.defer(
							() -> this.batches.unfinished(id)
								.collectList()
								.flatMap((left) -> Mono.error(ApiProblemException.conflict("Subscription " + id
										+ " was not deleted: its cancelled batch(es) " + names(left)
										+ " are still finishing their calls in flight; send the delete again")))))
			.then();
	}

	/** Batches whose body arrived while the delete ran end cancelled, too. */
	private Mono<Void> sweep(String id) {
		return this.batches.unfinished(id).concatMap(this.batches::cancel).then();
	}

	private static String names(List<String> ids) {
		String shown = String.join(", ", ids.subList(0, Math.min(ids.size(), NAMED)));
		return (ids.size() > NAMED) ? shown + " and " + (ids.size() - NAMED) + " more" : shown;
	}

	private static final SubscriptionBatches NONE = new SubscriptionBatches() {

		@Override
		public Flux<String> unfinished(String subscriptionId) {
			return Flux.empty();
		}

		@Override
		public Mono<Void> cancel(String batchId) {
			return Mono.empty();
		}

	};

}
