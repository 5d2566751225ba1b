package io.stampedsync.batch;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.stampedsync.outbound.CallLog.CallTrace;
import io.stampedsync.transfer.Outcome;
import io.stampedsync.transfer.TransferResult;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What a running batch writes to its journal log: finished records with their
 * {@code record} events, status changes and progress, each event numbered from the
 * batch's own sequence. A caller that needs the events of one batch in the order of their
 * numbers calls it under one lock (the writer keeps the order it is given).
 */
@Component
class BatchLog {

	private final JournalWriter writer;

	private final EventJson events;

	private final JsonMapper json;

	private final Clock clock;

	private final FinalCounts finalCounts;

	@Autowired
	BatchLog(JournalWriter writer, EventJson events, JsonMapper json, Clock clock, FinalCounts finalCounts) {
		this.writer = writer;
		this.events = events;
		this.json = json;
		this.clock = clock;
		this.finalCounts = finalCounts;
	}

	/** A log whose batches' final counts nobody reads (tests). */
	BatchLog(JournalWriter writer, EventJson events, JsonMapper json, Clock clock) {
		this(writer, events, json, clock, new FinalCounts());
	}

	/** The record as it ended, ready for the journal. */
	BatchRecord finished(BatchRecord record, TransferResult result) {
		String email = (result.email() != null) ? result.email() : record.email();
		return new BatchRecord(record.batchId(), record.index(), record.ipaasCustomerId(), email, record.payload(),
				result.outcome(), result.stampedCustomerId(), result.attempts(), result.ipaasCalls(),
				result.durationMs(), result.errorCode(), result.errorMessage(), result.httpStatus(),
				trace(result.trace()), this.clock.instant());
	}

	/** The {@code record} event of a finished record (numbered when built). */
	BatchEvent recordEvent(RunningBatch batch, BatchRecord finished) {
		return this.events.record(batch.batch, batch.nextSeq(), finished);
	}

	/** A record ended: its outcome and its event, under {@code fence}. */
	void recordDone(Fence fence, BatchRecord finished, BatchEvent event) {
		this.writer.recordDone(fence, finished, event);
	}

	// A batch that ends with counts true to the journal has them kept once its final
	// status is stored: its final view then needs no count of its records.
	void status(Fence fence, RunningBatch batch, BatchStatus status, String reason) {
		Map<Outcome, Long> counts = status.isFinal() ? batch.finalCounts() : null;
		String batchId = batch.batch.id();
		this.writer.statusChanged(fence, batchId, status, reason,
				this.events.status(batch.batch, batch.nextSeq(), status, reason),
				(counts != null) ? () -> this.finalCounts.keep(batchId, counts) : null);
	}

	void progress(Fence fence, RunningBatch batch, Progress progress) {
		this.writer.event(fence, this.events.progress(batch.batch, batch.nextSeq(), progress));
	}

	/** Completes once everything handed over before is stored (or refused). */
	Mono<Void> flush() {
		return this.writer.flush();
	}

	private String trace(List<CallTrace> trace) {
		return trace.isEmpty() ? null : this.json.writeValueAsString(trace);
	}

}
