package io.stampedsync.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.stampedsync.transfer.Outcome;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/** Builds {@link BatchView}s from the journal and, for running batches, live progress. */
@Component
class BatchViews {

	private final BatchJournal journal;

	private final DispatcherManager dispatchers;

	BatchViews(BatchJournal journal, DispatcherManager dispatchers) {
		this.journal = journal;
		this.dispatchers = dispatchers;
	}

	Mono<BatchView> view(Batch batch) {
		return this.journal.countOutcomes(batch.id()).map((counts) -> view(batch, counts));
	}

	private BatchView view(Batch batch, Map<Outcome, Long> counts) {
		Map<String, Long> named = new LinkedHashMap<>();
		for (Outcome outcome : Outcome.values()) {
			named.put(outcome.tag(), counts.getOrDefault(outcome, 0L));
		}
		long done = counts.values().stream().mapToLong(Long::longValue).sum();
		Progress live = this.dispatchers.progress(batch);
		String reason = batch.statusReason();
		if (batch.status() == BatchStatus.PAUSED && reason == null) {
			reason = this.dispatchers.pauseReason(batch.subscriptionId());
		}
		return new BatchView(batch.id(), batch.subscriptionId(), batch.source().tag(), batch.status().tag(), reason,
				batch.dryRun(), batch.force(), batch.debug(), batch.total(), done, named,
				(live != null) ? live.callsPerMinute() : null, (live != null) ? live.etaSeconds() : null,
				batch.retryOf(), batch.createdAt(), batch.startedAt(), batch.finishedAt());
	}

}
