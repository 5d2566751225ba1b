package io.stampedsync.batch;

import io.stampedsync.subscription.SubscriptionBatches;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * The batches a subscription delete waits for and cancels: those the journal holds
 * queued, running or paused. A dry run is not among them: it calls nothing and ends on
 * its own.
 */
@Component
class DeletedSubscriptionBatches implements SubscriptionBatches {

	private final BatchJournal journal;

	private final BatchActions actions;

	DeletedSubscriptionBatches(BatchJournal journal, BatchActions actions) {
		this.journal = journal;
		this.actions = actions;
	}

	@Override
	public Flux<String> unfinished(String subscriptionId) {
		return this.journal.findUnfinished(subscriptionId).map(Batch::id);
	}

	@Override
	public Mono<Void> cancel(String batchId) {
		return this.journal.find(batchId)
			.filter((batch) -> !batch.status().isFinal())
			.flatMap(this.actions::cancel)
			// Ended on its own meanwhile: nothing left to cancel.
			.onErrorResume(ApiProblemException.class, (ex) -> Mono.empty())
			.then();
	}

}
