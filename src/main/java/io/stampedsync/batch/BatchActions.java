package io.stampedsync.batch;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.stampedsync.transfer.Outcome;
import io.stampedsync.web.ApiProblemException;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * What a writer can do to a batch after it was accepted: retry its failures, cancel it.
 */
@Component
class BatchActions {

	private static final int PAGE = 1000;

	private final BatchJournal journal;

	private final DispatcherManager dispatchers;

	private final EventJson events;

	private final Clock clock;

	BatchActions(BatchJournal journal, DispatcherManager dispatchers, EventJson events, Clock clock) {
		this.journal = journal;
		this.dispatchers = dispatchers;
		this.events = events;
		this.clock = clock;
	}

	/** A new batch holding the failed records of {@code batch}, in their order. */
	Mono<Batch> retryFailed(Batch batch) {
		Batch draft = new Batch(BatchIntake.newBatchId(), 0, batch.subscriptionId(), BatchSource.RETRY,
				BatchStatus.RECEIVING, null, 0, false, batch.force(), batch.debug(), 0, null, null, batch.id(),
				this.clock.instant(), null, null);
		AtomicInteger index = new AtomicInteger();
		return this.journal.create(draft)
			.flatMap(
					(created) -> this.journal.records(batch.id(), Outcome.FAILED, 0, Integer.MAX_VALUE)
						.map((failed) -> BatchRecord.pending(created.id(), index.getAndIncrement(),
								failed.ipaasCustomerId(), failed.email(), failed.payload()))
						.buffer(PAGE)
						.concatMap(this.journal::insertRecords)
						.then(Mono
							.defer(() -> (index.get() == 0)
									? this.journal.discard(created.id())
										.then(Mono.error(ApiProblemException.unprocessable(
												"Batch " + batch.id() + " has no failed records", List.of())))
									: queue(created, index.get()))));
	}

	private Mono<Batch> queue(Batch created, int total) {
		Batch queued = new Batch(created.id(), created.acceptSeq(), created.subscriptionId(), created.source(),
				BatchStatus.QUEUED, null, created.priority(), false, created.force(), created.debug(), total, null,
				null, created.retryOf(), created.createdAt(), null, null);
		return this.journal.markReceived(created.id(), total, null)
			.then(this.journal.appendEvents(List.of(this.events.status(queued, 1, BatchStatus.QUEUED, null))))
			.then(this.dispatchers.submit(queued))
			.thenReturn(queued);
	}

	/**
	 * Cancels a batch: records not yet started end {@code cancelled}; calls in flight
	 * finish.
	 */
	Mono<Batch> cancel(Batch batch) {
		if (batch.status().isFinal()) {
			return Mono
				.error(ApiProblemException.conflict("Batch " + batch.id() + " is already " + batch.status().tag()));
		}
		if (this.dispatchers.cancel(batch)) {
			return Mono.just(batch);
		}
		// Distributed mode: the replica running the subscription cancels it (NOTIFY);
		// otherwise (its subscription is gone, or nobody runs it now) end it in the
		// journal.
		return this.dispatchers.cancelElsewhere(batch)
			.flatMap((elsewhere) -> elsewhere ? Mono.just(batch) : cancelInJournal(batch));
	}

	private Mono<Batch> cancelInJournal(Batch batch) {
		return this.journal.cancelPending(batch.id(), Set.of())
			.then(this.journal.lastSeq(batch.id()))
			.flatMap((seq) -> this.journal
				.appendEvents(List.of(this.events.status(batch, seq + 1, BatchStatus.CANCELLED, null)))
				.then(this.journal.updateStatus(batch.id(), BatchStatus.CANCELLED, null)))
			.thenReturn(batch);
	}

}
