package io.stampedsync.batch;

import java.util.concurrent.atomic.AtomicLong;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.transfer.TransferRequest;
import io.stampedsync.transfer.TransferService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Runs a {@code dryRun=true} batch: every record is mapped, validated and decided (would
 * create, update, stay unchanged or be rejected) without any outbound call, outside the
 * dispatcher, so a dry run never waits behind real work nor takes its permits.
 */
@Component
class DryRunner {

	private static final Log logger = LogFactory.getLog(DryRunner.class);

	private static final int CONCURRENCY = 8;

	private final SubscriptionRegistry subscriptions;

	private final DispatcherServices services;

	DryRunner(SubscriptionRegistry subscriptions, DispatcherServices services) {
		this.subscriptions = subscriptions;
		this.services = services;
	}

	/** Starts the dry run in the background once subscribed; completes at once. */
	Mono<Void> start(Batch batch) {
		return Mono.fromRunnable(() -> run(batch).subscribe(null,
				(error) -> logger.error("Dry run of batch " + batch.id() + " failed", error)));
	}

	private Mono<Void> run(Batch batch) {
		BatchJournal journal = this.services.journal();
		TransferService transfers = this.services.transfers();
		int page = this.services.readAhead();
		return Mono.zip(this.subscriptions.find(batch.subscriptionId()), journal.lastSeq(batch.id()))
			.flatMap((loaded) -> {
				AtomicLong seq = new AtomicLong(loaded.getT2());
				RunningBatch counts = new RunningBatch(batch, 0, batch.total(), java.util.Map.of(),
						this.services.nanoTime());
				status(batch, seq, BatchStatus.RUNNING);
				return journal.pending(batch.id(), -1, page)
					.collectList()
					.expand((records) -> records.size() < page ? Flux.empty()
							: journal.pending(batch.id(), records.get(records.size() - 1).index(), page).collectList())
					.concatMapIterable((records) -> records)
					.flatMapSequential((record) -> transfers
						.transfer(loaded.getT1(),
								new TransferRequest(record.ipaasCustomerId(), record.payload(), batch.acceptSeq(),
										record.index(), batch.force(), true, false))
						.map((result) -> this.services.finished(record, result)), CONCURRENCY)
					.doOnNext((finished) -> {
						counts.finished(finished, finished.outcome(), 0);
						this.services.writer()
							// A dry run calls no store: the replica that took it runs it,
							// no lease.
							.recordDone(Fence.unchecked(batch.subscriptionId()), finished,
									this.services.events().record(batch, seq.incrementAndGet(), finished));
					})
					.then(Mono.defer(() -> journal.countOutcomes(batch.id())))
					.doOnNext((stored) -> status(batch, seq,
							counts.hasErrors()
									|| stored.keySet().stream().anyMatch(io.stampedsync.transfer.Outcome::isError)
											? BatchStatus.COMPLETED_WITH_ERRORS : BatchStatus.COMPLETED))
					.then();
			});
	}

	private void status(Batch batch, AtomicLong seq, BatchStatus status) {
		this.services.writer()
			.statusChanged(Fence.unchecked(batch.subscriptionId()), batch.id(), status, null,
					this.services.events().status(batch, seq.incrementAndGet(), status, null));
	}

}
