package io.stampedsync.batch;

import java.time.Instant;

/**
 * A batch as the journal keeps it: transfers submitted together (a bulk POST, one Manual
 * Sync, one hook delivery, or a retry of failed records).
 *
 * @param acceptSeq place in the order batches were accepted (older records run first)
 * @param priority higher runs first; a debug Manual Sync jumps the queue
 */
public record Batch(String id, long acceptSeq, String subscriptionId, BatchSource source, BatchStatus status,
		String statusReason, int priority, boolean dryRun, boolean force, boolean debug, int total,
		String idempotencyKey, String bodyHash, String retryOf, Instant createdAt, Instant startedAt,
		Instant finishedAt) {

	public Batch withStatus(BatchStatus status, String reason) {
		return new Batch(this.id, this.acceptSeq, this.subscriptionId, this.source, status, reason, this.priority,
				this.dryRun, this.force, this.debug, this.total, this.idempotencyKey, this.bodyHash, this.retryOf,
				this.createdAt, this.startedAt, this.finishedAt);
	}

}
