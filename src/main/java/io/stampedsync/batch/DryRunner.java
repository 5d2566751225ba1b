package io.stampedsync.batch;

import java.util.Map;

import io.stampedsync.subscription.SubscriptionRegistry;
import io.stampedsync.transfer.Outcome;
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

	private final BatchJournal journal;

	private final TransferService transfers;

	private final BatchLog log;

	private final BatchProperties properties;

	DryRunner(SubscriptionRegistry subscriptions, BatchJournal journal, TransferService transfers, BatchLog log,
			BatchProperties properties) {
		this.subscriptions = subscriptions;
		this.journal = journal;
		this.transfers = transfers;
		this.log = log;
		this.properties = properties;
	}

	/** Starts the dry run in the background once subscribed; completes at once. */
	Mono<Void> start(Batch batch) {
		return Mono.fromRunnable(() -> run(batch).subscribe(null,
				(error) -> logger.error("Dry run of batch " + batch.id() + " failed", error)));
	}

	private Mono<Void> run(Batch batch) {
		BatchJournal journal = this.journal;
		int page = this.properties.readAhead();
		// A dry run calls no store: the replica that took it runs it, under no lease.
		Fence fence = Fence.unchecked(batch.subscriptionId());
		return Mono.zip(this.subscriptions.find(batch.subscriptionId()), journal.lastSeq(batch.id()))
			.flatMap((loaded) -> {
				RunningBatch counts = new RunningBatch(batch, loaded.getT2(), batch.total(), Map.of());
				this.log.status(fence, counts, BatchStatus.RUNNING, null);
				return journal.pending(batch.id(), -1, page)
					.collectList()
					.expand((records) -> records.size() < page ? Flux.empty()
							: journal.pending(batch.id(), records.get(records.size() - 1).index(), page).collectList())
					.concatMapIterable((records) -> records)
					.flatMapSequential((record) -> this.transfers
						.transfer(loaded.getT1(),
								new TransferRequest(record.ipaasCustomerId(), record.payload(), batch.acceptSeq(),
										record.index(), batch.force(), true, false))
						.map((result) -> this.log.finished(record, result)), CONCURRENCY)
					.doOnNext((finished) -> {
						counts.finished(finished, finished.outcome(), 0);
						this.log.recordDone(fence, finished, this.log.recordEvent(counts, finished));
					})
					.then(Mono.defer(() -> journal.countOutcomes(batch.id())))
					.doOnNext((stored) -> this.log.status(fence, counts,
							counts.hasErrors() || stored.keySet().stream().anyMatch(Outcome::isError)
									? BatchStatus.COMPLETED_WITH_ERRORS : BatchStatus.COMPLETED,
							null))
					.then();
			});
	}

}
