package io.stampedsync.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.stampedsync.transfer.Outcome;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/** Builds {@link BatchView}s from the journal and, for running batches, live progress. */
@Component
class BatchViews {

	private final BatchJournal journal;

	private final DispatcherManager dispatchers;

	private final JsonMapper json;

	private final FinalCounts finalCounts;

	BatchViews(BatchJournal journal, DispatcherManager dispatchers, JsonMapper json, FinalCounts finalCounts) {
		this.json = json;
		this.journal = journal;
		this.dispatchers = dispatchers;
		this.finalCounts = finalCounts;
	}

	/**
	 * The view of a batch its intake just stored: from the intake's counts unless it runs
	 * here already.
	 */
	Mono<BatchView> view(AcceptedBatch accepted) {
		Batch batch = accepted.batch();
		if (accepted.counts() == null) {
			return view(batch);
		}
		Progress running = this.dispatchers.progress(batch);
		return Mono.just((running != null) ? view(batch, running.counts(), running)
				: view(batch, accepted.counts().outcomes(), null));
	}

	Mono<BatchView> view(Batch batch) {
		Progress running = this.dispatchers.progress(batch);
		if (running != null) {
			// Run here: its counts are in memory (seeded from the journal when it
			// started), so a client polling a running batch costs no GROUP BY.
			return Mono.just(view(batch, running.counts(), running));
		}
		return stored(batch).flatMap((counts) -> {
			Progress live = this.dispatchers.progress(batch);
			if (live != null || batch.status() != BatchStatus.RUNNING) {
				return Mono.just(view(batch, counts, live));
			}
			// Distributed mode: another replica runs it; its latest progress event
			// (stored every half second while the batch moves) carries rate and ETA.
			return this.journal.lastEvent(batch.id(), BatchEvent.PROGRESS)
				.map((event) -> view(batch, counts, fromEvent(event)))
				.defaultIfEmpty(view(batch, counts, null));
		});
	}

	/**
	 * The counts of a batch not run here: a batch queued and never started has those its
	 * intake kept, a final one has those its dispatcher kept when it ended here, or is
	 * counted once (a read of each of its records) and then kept, any other is counted.
	 */
	private Mono<Map<Outcome, Long>> stored(Batch batch) {
		if (batch.status() == BatchStatus.QUEUED) {
			return this.journal.intakeCounts(batch.id())
				.map(RecordCounts::outcomes)
				.switchIfEmpty(Mono.defer(() -> this.journal.countOutcomes(batch.id())));
		}
		if (batch.status().isFinal()) {
			return this.finalCounts.of(batch.id(), () -> this.journal.countOutcomes(batch.id()));
		}
		return this.journal.countOutcomes(batch.id());
	}

	private Progress fromEvent(BatchEvent event) {
		JsonNode data = this.json.readTree(event.data());
		return new Progress(Map.of(), data.path("done").asLong(), data.path("callsPerMinute").asDouble(),
				number(data, "etaSeconds"), number(data, "stampedCallsPerMinute"), number(data, "ipaasCallsPerMinute"),
				data.path("limit").isString() ? data.path("limit").asString() : null);
	}

	private static Long number(JsonNode data, String field) {
		JsonNode value = data.path(field);
		return value.isNumber() ? value.asLong() : null;
	}

	private BatchView view(Batch batch, Map<Outcome, Long> counts, Progress live) {
		Map<String, Long> named = new LinkedHashMap<>();
		for (Outcome outcome : Outcome.values()) {
			named.put(outcome.tag(), counts.getOrDefault(outcome, 0L));
		}
		long done = counts.values().stream().mapToLong(Long::longValue).sum();
		String reason = batch.statusReason();
		if (batch.status() == BatchStatus.PAUSED && reason == null) {
			reason = this.dispatchers.pauseReason(batch.subscriptionId());
		}
		return new BatchView(batch.id(), batch.subscriptionId(), batch.source().tag(), batch.status().tag(), reason,
				batch.dryRun(), batch.force(), batch.debug(), batch.total(), done, named,
				(live != null) ? live.callsPerMinute() : null, (live != null) ? live.etaSeconds() : null,
				(live != null) ? live.stampedCallsPerMinute() : null,
				(live != null) ? live.ipaasCallsPerMinute() : null, (live != null) ? live.limit() : null,
				batch.retryOf(), batch.createdAt(), batch.startedAt(), batch.finishedAt());
	}

}
