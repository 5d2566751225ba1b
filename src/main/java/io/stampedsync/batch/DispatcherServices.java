package io.stampedsync.batch;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.stampedsync.outbound.CallLog.CallTrace;
import io.stampedsync.outbound.Direction;
import io.stampedsync.throttle.Throttles;
import io.stampedsync.transfer.TransferResult;
import io.stampedsync.transfer.TransferService;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/** What every dispatcher needs from the rest of the gateway, in one place. */
@Component
class DispatcherServices {

	private final BatchJournal journal;

	private final TransferService transfers;

	private final JournalWriter writer;

	private final EventJson events;

	private final BatchProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	private final Fences fences;

	private final Throttles throttles;

	DispatcherServices(BatchJournal journal, TransferService transfers, JournalWriter writer, EventJson events,
			BatchProperties properties, JsonMapper json, Clock clock, Fences fences, Throttles throttles) {
		this.throttles = throttles;
		this.fences = fences;
		this.journal = journal;
		this.transfers = transfers;
		this.writer = writer;
		this.events = events;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	BatchJournal journal() {
		return this.journal;
	}

	TransferService transfers() {
		return this.transfers;
	}

	JournalWriter writer() {
		return this.writer;
	}

	Fences fences() {
		return this.fences;
	}

	EventJson events() {
		return this.events;
	}

	int readAhead() {
		return this.properties.readAhead();
	}

	long nanoTime() {
		return System.nanoTime();
	}

	/**
	 * Seconds left in the subscription's cool-down after a 429 (either side), 0 when
	 * none.
	 */
	double coolDownSeconds(String subscriptionId) {
		double longest = 0;
		for (Direction direction : Direction.values()) {
			longest = Math.max(longest,
					this.throttles.coolDownUntil(subscriptionId, direction)
						.map((until) -> Duration.between(this.clock.instant(), until).toMillis() / 1000.0)
						.orElse(0.0));
		}
		return longest;
	}

	/**
	 * Loads what a dispatcher must know of a batch to run it, and announces its status.
	 */
	Mono<RunningBatch> startBatch(Fence fence, Batch batch, BatchStatus status, String reason) {
		return Mono
			.zip(this.journal.lastSeq(batch.id()), this.journal.countPending(batch.id()),
					this.journal.countOutcomes(batch.id()))
			.map((loaded) -> {
				RunningBatch running = new RunningBatch(batch, loaded.getT1(), loaded.getT2(), loaded.getT3(),
						nanoTime());
				if (batch.status() != status) {
					// The reason goes to the journal too, so every replica can show it.
					this.writer.statusChanged(fence, batch.id(), status, reason,
							this.events.status(batch, running.nextSeq(), status, reason));
				}
				return running;
			});
	}

	/** The record as it ended, ready for the journal. */
	BatchRecord finished(BatchRecord record, TransferResult result) {
		String email = (result.email() != null) ? result.email() : record.email();
		return new BatchRecord(record.batchId(), record.index(), record.ipaasCustomerId(), email, record.payload(),
				result.outcome(), result.stampedCustomerId(), result.attempts(), result.durationMs(),
				result.errorCode(), result.errorMessage(), result.httpStatus(), trace(result.trace()),
				this.clock.instant());
	}

	private String trace(List<CallTrace> trace) {
		return trace.isEmpty() ? null : this.json.writeValueAsString(trace);
	}

}
