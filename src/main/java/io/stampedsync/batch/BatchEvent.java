package io.stampedsync.batch;

import java.time.Instant;

/**
 * One entry of a batch's event log: what its SSE stream replays. {@code seq} is the SSE
 * event id; {@code data} is the JSON of DESIGN.md §4.
 *
 * @param type {@code record}, {@code progress} or {@code status}
 * @param record for a {@code record} event, the finished record it tells of (the journal
 * stores it as the record's row, not as a second copy; the monitoring reads it rather
 * than parse {@code data} back), else {@code null}
 */
public record BatchEvent(String batchId, String subscriptionId, long seq, String type, String data, Instant createdAt,
		BatchRecord record) {

	public static final String RECORD = "record";

	public static final String PROGRESS = "progress";

	public static final String STATUS = "status";

	/** An event read from an event log, with its JSON only. */
	public BatchEvent(String batchId, String subscriptionId, long seq, String type, String data, Instant createdAt) {
		this(batchId, subscriptionId, seq, type, data, createdAt, null);
	}

}
