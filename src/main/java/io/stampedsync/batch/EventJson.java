package io.stampedsync.batch;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stampedsync.transfer.Outcome;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Builds the JSON of the SSE events of DESIGN.md §4. The journal rebuilds a record event
 * from the record's row with {@link #recordData}, so a replayed event reads as the live
 * one did.
 */
@Component
public class EventJson {

	private final JsonMapper json;

	EventJson(JsonMapper json) {
		this.json = json;
	}

	BatchEvent record(Batch batch, long seq, BatchRecord record) {
		// Stamped with the record's outcome time, as the journal has it: the throughput
		// history counts it in the same minute live and when rebuilt after a restart.
		Instant at = (record.finishedAt() != null) ? record.finishedAt() : Instant.now();
		String batchId = batch.id();
		return new BatchEvent(batchId, batch.subscriptionId(), seq, BatchEvent.RECORD,
				BatchEvent.Json.lazy(() -> recordData(batchId, seq, record)), at, record);
	}

	/** The JSON of the {@code record} event numbered {@code seq} of a finished record. */
	public String recordData(String batchId, long seq, BatchRecord record) {
		ErrorView error = (record.errorCode() != null)
				? new ErrorView(record.errorCode().name(), record.errorMessage(), record.httpStatus()) : null;
		RecordView view = new RecordView(batchId, seq, record.index(), record.ipaasCustomerId(), record.email(),
				record.outcome().tag(), record.stampedCustomerId(), record.attempts(), record.stampedCalls(),
				record.ipaasCalls(), record.durationMs(), error);
		return this.json.writeValueAsString(view);
	}

	BatchEvent progress(Batch batch, long seq, Progress progress) {
		Map<Outcome, Long> counts = progress.counts();
		ProgressView view = new ProgressView(batch.id(), batch.total(), progress.done(), n(counts, Outcome.CREATED),
				n(counts, Outcome.UPDATED), n(counts, Outcome.UNCHANGED), n(counts, Outcome.REJECTED),
				n(counts, Outcome.FAILED), n(counts, Outcome.CANCELLED), progress.callsPerMinute(),
				progress.etaSeconds(), progress.stampedCallsPerMinute(), progress.ipaasCallsPerMinute(),
				progress.limit());
		return event(batch, seq, BatchEvent.PROGRESS, view);
	}

	BatchEvent status(Batch batch, long seq, BatchStatus status, String reason) {
		return event(batch, seq, BatchEvent.STATUS, new StatusView(batch.id(), status.tag(), reason));
	}

	private BatchEvent event(Batch batch, long seq, String type, Object view) {
		return new BatchEvent(batch.id(), batch.subscriptionId(), seq, type, this.json.writeValueAsString(view),
				Instant.now());
	}

	private static long n(Map<Outcome, Long> counts, Outcome outcome) {
		return counts.getOrDefault(outcome, 0L);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RecordView(String batchId, long seq, int index, String ipaasCustomerId, String email, String outcome,
			String stampedCustomerId, int attempts, int stampedCalls, int ipaasCalls, Long durationMs,
			ErrorView error) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ErrorView(String code, String message, Integer httpStatus) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ProgressView(String batchId, int total, long done, long created, long updated, long unchanged, long rejected,
			long failed, long cancelled, double callsPerMinute, Long etaSeconds, Long stampedCallsPerMinute,
			Long ipaasCallsPerMinute, String limit) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record StatusView(String batchId, String status, String reason) {
	}

}
