package io.stampedsync.batch;

import java.time.Instant;

/**
 * One entry of a batch's event log: what its SSE stream replays. {@code seq} is the SSE
 * event id; {@code data} is the JSON of DESIGN.md §4.
 *
 * @param type {@code record}, {@code progress} or {@code status}
 */
public record BatchEvent(String batchId, String subscriptionId, long seq, String type, String data, Instant createdAt) {

	public static final String RECORD = "record";

	public static final String PROGRESS = "progress";

	public static final String STATUS = "status";

}
